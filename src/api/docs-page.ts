/**
 * A browsable page for /v1/openapi.json that loads nothing from the internet: operations grouped by
 * tag, each with its roles, parameters, body and responses, schemas shown as JSON.
 */
export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>supportflow API</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1000px; padding: 1rem 2rem; color: #1d2330; }
h1 { margin-bottom: .2rem; } h2 { border-bottom: 1px solid #ccd; padding-bottom: .2rem; margin-top: 2rem; }
details { border: 1px solid #dde; border-radius: 6px; margin: .4rem 0; padding: .3rem .6rem; }
summary { cursor: pointer; } code, pre { font: 13px ui-monospace, monospace; }
pre { background: #f5f6f9; padding: .6rem; overflow: auto; max-height: 24rem; }
.m { display: inline-block; min-width: 4.2rem; font-weight: 700; text-transform: uppercase; }
.get { color: #1a7f37; } .post { color: #0550ae; } .put { color: #9a6700; } .delete { color: #cf222e; }
.roles { color: #57606a; font-size: 13px; margin-left: .5rem; }
</style>
</head>
<body>
<h1>supportflow API</h1>
<p id="intro">Loading <a href="/v1/openapi.json">/v1/openapi.json</a>…</p>
<div id="ops"></div>
<script>
const el = (tag, attrs, ...kids) => { const e = document.createElement(tag); Object.assign(e, attrs); kids.forEach((k) => e.append(k)); return e; };
const json = (v) => el('pre', { textContent: JSON.stringify(v, null, 2) });
fetch('/v1/openapi.json').then((r) => r.json()).then((spec) => {
  document.getElementById('intro').textContent = spec.info.description;
  const byTag = {};
  for (const [path, ops] of Object.entries(spec.paths)) for (const [method, op] of Object.entries(ops)) (byTag[op.tags[0]] ??= []).push({ path, method, op });
  const root = document.getElementById('ops');
  for (const [tag, ops] of Object.entries(byTag)) {
    root.append(el('h2', { textContent: tag }));
    for (const { path, method, op } of ops) {
      const head = el('summary', {}, el('span', { className: 'm ' + method, textContent: method }), el('code', { textContent: path }), ' ' + op.summary,
        el('span', { className: 'roles', textContent: op['x-roles'] ? 'roles: ' + op['x-roles'].join(', ') : 'public' }));
      const body = el('details', {}, head);
      if (op.description) body.append(el('p', { textContent: op.description }));
      if (op.parameters) body.append(el('h4', { textContent: 'Parameters' }), json(op.parameters));
      if (op.requestBody) body.append(el('h4', { textContent: 'Body' }), json(op.requestBody.content['application/json'].schema));
      for (const [status, r] of Object.entries(op.responses)) {
        const c = r.content && Object.values(r.content)[0];
        body.append(el('h4', { textContent: status + ' ' + r.description }), ...(c && status < 400 ? [json(c.schema)] : []));
      }
      root.append(body);
    }
  }
  root.append(el('h2', { textContent: 'Schemas' }), json(spec.components.schemas));
}).catch((e) => { document.getElementById('intro').textContent = 'Could not load the spec: ' + e; });
</script>
</body>
</html>
`;
