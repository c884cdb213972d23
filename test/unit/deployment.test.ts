import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REAL_SERVER_VERSION } from '../../bench/harness/real-server';
import { SERVER_DYNAMIC_CONFIG } from '../../src/infra/server-settings';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
type Service = {
  image?: string;
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  deploy?: { replicas?: number | string };
  volumes?: string[];
};
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const svc = (name: string): Service => compose.services[name] ?? {};

/**
 * Issue 16 item 4: compose runs what the benchmark measured. No engine runs here, so the file is read
 * as compose reads it; bench/harness/real-server.ts runs the same schema script on this machine.
 */
describe('docker-compose.yml', () => {
  it('runs temporalio/server at the benchmarked version, after an admin-tools job set up its schema', () => {
    expect(svc('temporal').image).toBe(`temporalio/server:${REAL_SERVER_VERSION.replace(/^v/, '')}`);
    expect(Object.values(compose.services).some((s) => s.image?.includes('auto-setup'))).toBe(false);
    expect(svc('temporal').depends_on?.['temporal-schema']).toEqual({ condition: 'service_completed_successfully' });
    expect(svc('temporal-schema').image).toMatch(/^temporalio\/admin-tools:/);
    expect(svc('temporal-schema').volumes).toContain('./scripts/temporal/setup-postgres.sh:/scripts/setup-postgres.sh:ro');
  });

  it('starts several workers, each loading the bundle the image built', () => {
    expect(String(svc('worker').deploy?.replicas)).toMatch(/^\$\{WORKER_REPLICAS:-[2-9]\}$|^[2-9]$/);
    const bundle = svc('worker').environment?.WORKFLOW_BUNDLE_PATH;
    expect(bundle).toBe('/app/dist/workflow-bundle.js');
    expect(read('Dockerfile')).toContain('RUN npx tsx scripts/bundle-workflows.ts dist/workflow-bundle.js');
  });

  it('gives the server the dynamic config every server we start gets', () => {
    const file = parse(read('scripts/temporal/dynamicconfig.yaml')) as Record<string, Array<{ value: unknown }>>;
    const values = Object.fromEntries(Object.entries(file).map(([k, v]) => [k, v[0]?.value]));
    expect(values).toEqual(SERVER_DYNAMIC_CONFIG);
  });
});
