import 'dotenv/config';
import type { Server } from 'node:http';
import { loadConfig } from './config';
import { createApp } from './api/app';
import { openDatabase } from './runtime/database';
import { createLogger } from './runtime/logger';
import { startDevTemporal } from './infra/dev-temporal';
import { MailSink } from './mail/mail-sink';
import { mailViewer } from './mail/mail-viewer';
import { connectClient, connectWorker } from './temporal/connect';
import { appDeps, changeFeedFor } from './runtime/app-deps';
import { configuredWorker } from './runtime/configured-worker';
import { devAdminKey } from './runtime/dev-admin-key';
import { deliverInbound } from './conversation/inbound-mail';
import { InboundSmtp } from './mail/inbound-server';
import { inboundOpener } from './runtime/inbound-opener';

/**
 * `npm run dev`: the whole product in one process on embedded defaults — Temporal dev server + UI
 * (persistent), PostgreSQL (DATABASE_URL or embedded PGlite), an SMTP sink with a mail page, the worker
 * and the API. Ctrl-C stops everything; a restart keeps workflows and rows.
 */
const config = loadConfig();
const log = createLogger(config, 'dev');
const started = Date.now();
const stops: Array<() => Promise<unknown>> = [];
const listen = (app: ReturnType<typeof mailViewer>, port: number) =>
  new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, config.API_HOST, () => resolve(s)).once('error', reject);
  });
const close = (s: Server) => new Promise<void>((resolve) => s.close(() => resolve()));

async function main() {
  let temporalAddress = config.TEMPORAL_ADDRESS;
  if (config.TEMPORAL_START_DEV_SERVER) {
    const [host, port] = config.TEMPORAL_ADDRESS.split(':');
    const temporal = await startDevTemporal({
      dataDir: config.DATA_DIR,
      port: Number(port ?? 7233),
      uiPort: config.TEMPORAL_UI_PORT,
      log: (l) => log.info(l),
    });
    stops.push(temporal.stop);
    temporalAddress = `${host ?? '127.0.0.1'}:${port ?? 7233}`;
  }
  const db = await openDatabase(config, { allowEmbedded: true });
  stops.push(db.stop);

  let mailUrl = 'external SMTP server';
  if (config.SMTP_START_SINK) {
    const sink = new MailSink(config.SMTP_HOST);
    await sink.start(config.SMTP_PORT);
    stops.push(() => sink.stop());
    const viewer = await listen(mailViewer(sink), config.MAIL_SINK_HTTP_PORT);
    stops.push(() => close(viewer));
    mailUrl = `http://${config.API_HOST}:${config.MAIL_SINK_HTTP_PORT}`;
  }

  const workerConnection = await connectWorker({ TEMPORAL_ADDRESS: temporalAddress });
  const { worker, close: closeMail } = await configuredWorker(config, workerConnection, db.handle.db);
  const running = worker.run();
  stops.unshift(async () => {
    // The SDK already drains the worker on SIGINT/SIGTERM.
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
    closeMail();
    await workerConnection.close();
  });

  const client = await connectClient({ TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_NAMESPACE: config.TEMPORAL_NAMESPACE });
  const adminKey = await devAdminKey(db.handle.db, config);
  const changes = changeFeedFor(config, db, log);
  if (changes) stops.unshift(() => changes.stop());
  const deps = appDeps(config, db.handle.db, client, log, changes);
  const api = await listen(createApp(deps), config.API_PORT);
  stops.unshift(() => close(api));

  // Customers' mail comes in here (new requests and replies); dev listens on 2526 unless told otherwise.
  const inboundPort = config.INBOUND_SMTP_PORT ?? 2526;
  const opener = inboundOpener(deps);
  const inbound = new InboundSmtp(
    (mail) => deliverInbound({ db: db.handle.db, client, opener, ownDomain: config.MAIL_DOMAIN }, mail),
    config.API_HOST,
  );
  await inbound.start(inboundPort);
  stops.unshift(() => inbound.stop());

  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`
supportflow is up in ${secs}s
  API          http://${config.API_HOST}:${config.API_PORT}/v1
  Temporal UI  ${config.TEMPORAL_START_DEV_SERVER ? `http://127.0.0.1:${config.TEMPORAL_UI_PORT}` : '(external server)'}  (gRPC ${temporalAddress})
  Mail         ${mailUrl}
  Inbound mail smtp://${config.API_HOST}:${inboundPort}  (new requests and replies to ticket mail)
  Admin key    ${config.ADMIN_API_KEY ? '(ADMIN_API_KEY)' : `${adminKey}  (kept in ${config.DATA_DIR}/admin-api-key)`}
  API docs     http://${config.API_HOST}:${config.API_PORT}/v1/docs
  Console      http://${config.API_HOST}:${config.API_PORT}/console  (sign in with your name and a staff or admin key)
  Database     ${db.embedded ? `embedded PGlite in ${config.DATA_DIR}/pglite (${db.url})` : db.url.replace(/:[^:@/]+@/, ':***@')}
Press Ctrl-C to stop.`);
}

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  log.info('stopping');
  for (const stop of stops) {
    try {
      await stop();
    } catch (err) {
      log.warn({ err }, 'error while stopping');
    }
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
main().catch((err: unknown) => {
  log.error({ err }, 'failed to start');
  void shutdown(1);
});
