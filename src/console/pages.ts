const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const head = (title: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<link rel="stylesheet" href="/console/assets/console.css">`;

export function loginPage(error?: string): string {
  return `${head('Sign in · supportflow console')}
</head>
<body class="login">
<main>
<h1>supportflow console</h1>
<form method="post" action="/console/session">
<label>Your name <input name="agent" autocomplete="name" required maxlength="200" autofocus></label>
<label>Staff API key <input name="key" type="password" autocomplete="current-password" required maxlength="200"></label>
${error ? `<p role="alert" class="error">${escape(error)}</p>` : ''}
<button type="submit">Sign in</button>
</form>
<p class="hint">The key stays on the server: you get an HTTP-only session cookie for 12 hours.</p>
</main>
</body>
</html>`;
}

export function shellPage(importMap: string, agent: string): string {
  return `${head('supportflow console')}
<script type="importmap">${importMap}</script>
<script type="module" src="/console/assets/console.js"></script>
</head>
<body>
<header>
<a href="#/queue" class="brand">supportflow</a>
<nav aria-label="Console"><a href="#/queue">Queue</a><a href="#/reports">Reports</a></nav>
<span class="agent" data-agent="${escape(agent)}">${escape(agent)}</span>
<form method="post" action="/console/logout"><button type="submit">Sign out</button></form>
</header>
<main id="app" tabindex="-1"><p>Loading…</p></main>
</body>
</html>`;
}
