import { DefaultLogger, Runtime } from '@temporalio/worker';

/**
 * Test output shows what failed, not the SDK's INFO lines (worker state changes, bundle statistics):
 * every test process installs the SDK runtime with a WARN logger before any worker or bundle exists.
 */
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Installed already by an earlier file in this process.
}
