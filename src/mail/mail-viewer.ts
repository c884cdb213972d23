import express from 'express';
import type { MailSink } from './mail-sink';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A small web page and JSON endpoint over the dev SMTP sink, newest first. */
export function mailViewer(sink: MailSink) {
  const app = express();
  app.get('/messages', (_req, res) => {
    res.json([...sink.messages].reverse());
  });
  app.get('/', (_req, res) => {
    const rows = [...sink.messages]
      .reverse()
      .map(
        (m) =>
          `<tr><td>${new Date(m.receivedAt).toISOString()}</td><td>${esc(m.to.join(', '))}</td><td><details><summary>${esc(m.subject)}</summary><pre>${esc(m.text)}</pre></details></td></tr>`,
      )
      .join('');
    res.type('html').send(`<!doctype html><meta charset="utf-8"><title>supportflow mail</title><meta http-equiv="refresh" content="10">
<style>body{font:14px system-ui;margin:2em}td{border-bottom:1px solid #ddd;padding:4px 8px;vertical-align:top}pre{white-space:pre-wrap}</style>
<h1>Mail received by the dev SMTP sink (${sink.messages.length})</h1><p>JSON: <a href="/messages">/messages</a></p>
<table><tr><th>received</th><th>to</th><th>subject</th></tr>${rows}</table>`);
  });
  return app;
}
