// The staff console: one page, hash routes, the same /v1 API every client uses. The session cookie
// authenticates; every change carries the CSRF token from the readable cookie.
import { h, render } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import htm from 'htm';

const html = htm.bind(h);
const AGENT = document.querySelector('[data-agent]')?.getAttribute('data-agent') ?? 'agent';
const POLL_MS = 3000;

function csrf() {
  const m = /(?:^|;\s*)sf_csrf=([^;]+)/.exec(document.cookie);
  return m ? decodeURIComponent(m[1]) : '';
}

class ApiError extends Error {
  constructor(status, body) {
    super(body?.detail ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.code ?? 'unknown';
  }
}

async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRF-Token'] = csrf();
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 401) {
    location.reload();
    throw new ApiError(401, { detail: 'signed out' });
  }
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

/** "1d 02h", "2h 05m", "4m 09s", "-12s" for a missed deadline. */
function duration(ms) {
  const sign = ms < 0 ? '−' : '';
  let s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const hh = Math.floor(s / 3600);
  s -= hh * 3600;
  const mm = Math.floor(s / 60);
  s -= mm * 60;
  const p = (n) => String(n).padStart(2, '0');
  if (d > 0) return `${sign}${d}d ${p(hh)}h`;
  if (hh > 0) return `${sign}${hh}h ${p(mm)}m`;
  return `${sign}${mm}m ${p(s)}s`;
}

const when = (iso) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—');
const money = (minor, currency) => new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(minor / 100);

function useNow(ms = 1000) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

/** Fetches `path` now and every POLL_MS; `reload()` refreshes at once (after an action). */
function usePoll(path, enabled = true) {
  const [state, setState] = useState({ data: undefined, error: undefined, at: 0 });
  const load = useCallback(async () => {
    try {
      setState({ data: await api('GET', path), error: undefined, at: Date.now() });
    } catch (error) {
      setState((s) => ({ ...s, error }));
    }
  }, [path]);
  useEffect(() => {
    if (!enabled) return undefined;
    load();
    const t = setInterval(load, POLL_MS);
    return () => clearInterval(t);
  }, [load, enabled]);
  return { ...state, reload: load };
}

function Alert({ error }) {
  if (!error) return null;
  return html`<p role="alert" class="error"><strong>${error.code}</strong>: ${error.message}</p>`;
}

// ---- queue

const VIEWS = { mine: 'Mine', unassigned: 'Unassigned', all: 'All' };

function queuePath(view, f) {
  const q = new URLSearchParams();
  if (view === 'mine') q.set('assignee', AGENT);
  if (view === 'unassigned') q.set('unassigned', 'true');
  for (const [k, v] of Object.entries(f)) if (v) q.set(k, v);
  return `/v1/queue?${q}`;
}

function Countdown({ row, fetchedAt, now }) {
  if (!row.next) return html`<span class="muted">nothing owed</span>`;
  const wall = Date.parse(row.next.dueAt) - now;
  const business = row.businessMsLeft === null ? null : row.businessMsLeft - (row.calendarOpen ? now - fetchedAt : 0);
  const cls = wall < 0 ? 'late' : row.slaState === 'warning' ? 'warn' : '';
  return html`<span class="countdown ${cls}" data-testid="countdown">
    <span title="wall-clock time to ${row.next.clock}">${duration(wall)}</span>
    ${business !== null && html` <span class="muted" title="business time on ${row.calendarId}">(${duration(business)} business${row.calendarOpen ? '' : ', closed now'})</span>`}
  </span>`;
}

function Queue() {
  const [view, setView] = useState('all');
  const [filters, setFilters] = useState({ status: '', priority: '', slaState: '', policyId: '', customerId: '' });
  const { data, error, at } = usePoll(queuePath(view, filters));
  const now = useNow();
  const table = useRef(null);
  useEffect(() => {
    // j / k walk the rows, Enter opens one: the queue is worked from the keyboard.
    const onKey = (e) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
      if (e.key !== 'j' && e.key !== 'k') return;
      const links = [...(table.current?.querySelectorAll('a.ticket') ?? [])];
      if (!links.length) return;
      const i = links.indexOf(document.activeElement);
      const next = e.key === 'j' ? Math.min(links.length - 1, i + 1) : Math.max(0, i - 1);
      links[next].focus();
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  const set = (k) => (e) => setFilters({ ...filters, [k]: e.currentTarget.value });
  const select = (k, label, options) =>
    html`<label
      >${label}
      <select value=${filters[k]} onChange=${set(k)}>
        <option value="">any</option>
        ${options.map((o) => html`<option value=${o}>${o}</option>`)}
      </select></label
    >`;
  return html`<section aria-labelledby="queue-title">
    <h1 id="queue-title">Queue</h1>
    <div class="tabs" role="tablist">
      ${Object.entries(VIEWS).map(
        ([k, label]) =>
          html`<button role="tab" aria-selected=${view === k} class=${view === k ? 'on' : ''} onClick=${() => setView(k)}>
            ${label}
          </button>`,
      )}
    </div>
    <form class="filters" onSubmit=${(e) => e.preventDefault()}>
      ${select('status', 'Status', ['new', 'open', 'answered', 'waiting_on_customer', 'resolved', 'closed'])}
      ${select('priority', 'Priority', ['urgent', 'high', 'normal', 'low'])} ${select('slaState', 'SLA', ['ok', 'warning', 'breached'])}
      <label>Policy <input value=${filters.policyId} onInput=${set('policyId')} placeholder="any" /></label>
      <label>Customer <input value=${filters.customerId} onInput=${set('customerId')} placeholder="any" /></label>
    </form>
    <${Alert} error=${error} />
    <table ref=${table} class="queue">
      <thead>
        <tr>
          <th>Ticket</th>
          <th>Subject</th>
          <th>Customer</th>
          <th>Policy</th>
          <th>Priority</th>
          <th>Status</th>
          <th>Next deadline</th>
          <th>Due in</th>
        </tr>
      </thead>
      <tbody>
        ${(data?.items ?? []).map(
          (r) =>
            html`<tr class="sla-${r.slaState}" data-ticket=${r.id}>
              <td><a class="ticket" href=${`#/tickets/${r.id}`}>${r.id}</a></td>
              <td>${r.subject}</td>
              <td><a href=${`#/customers/${r.customerId}`}>${r.customerId}</a></td>
              <td>${r.policyId}</td>
              <td>${r.priority}</td>
              <td>${r.status}${r.assignee ? html` · ${r.assignee}` : ''}</td>
              <td>${r.next ? html`${r.next.clock.replace(/_/g, ' ')} <span class="muted">${when(r.next.dueAt)}</span>` : '—'}</td>
              <td><${Countdown} row=${r} fetchedAt=${at} now=${now} /></td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${data && data.items.length === 0 && html`<p class="muted">No tickets here.</p>`}
  </section>`;
}

// ---- ticket

const ACTIONS = [
  { name: 'respond', label: 'Reply to customer', fields: [['message', 'textarea']] },
  { name: 'request-info', label: 'Ask the customer', fields: [['message', 'textarea']] },
  { name: 'notes', label: 'Internal note', fields: [['text', 'textarea']], optional: true },
  { name: 'priority', label: 'Change priority', fields: [['priority', ['urgent', 'high', 'normal', 'low']]] },
  {
    name: 'assign',
    label: 'Assign',
    fields: [
      ['assignee', 'text'],
      ['assigneeEmail', 'email'],
    ],
  },
  { name: 'escalate', label: 'Escalate to development', fields: [['summary', 'textarea']] },
  { name: 'mitigate', label: 'Mark mitigated', fields: [] },
  { name: 'downgrade', label: 'Downgrade emergency', fields: [['reason', 'text']] },
  {
    name: 'resolve',
    label: 'Resolve',
    fields: [
      ['resolution', ['solution', 'workaround', 'out_of_scope']],
      // out_of_scope names one of the policy's excluded topics (003), e.g. html_code.
      ['topic', 'text'],
      ['note', 'textarea'],
    ],
  },
  { name: 'reopen', label: 'Reopen', fields: [] },
  { name: 'close', label: 'Close', fields: [] },
  {
    name: 'time',
    label: 'Log time',
    fields: [
      ['minutes', 'number'],
      ['note', 'text'],
    ],
  },
];

function ActionForm({ ticketId, action, onDone }) {
  const [error, setError] = useState(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const body = action.name === 'notes' ? {} : { agent: AGENT };
    for (const [k] of action.fields) {
      const v = form.get(k);
      if (v !== null && v !== '') body[k] = k === 'minutes' ? Number(v) : v;
    }
    setBusy(true);
    try {
      await api('POST', `/v1/tickets/${ticketId}/${action.name}`, body);
      setError(undefined);
      e.currentTarget?.reset?.();
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const id = (k) => `${action.name}-${k}`;
  return html`<form class="action" onSubmit=${submit} data-action=${action.name}>
    <h3>${action.label}</h3>
    ${action.fields.map(([k, kind]) =>
      Array.isArray(kind)
        ? html`<label for=${id(k)}>${k}</label
            ><select id=${id(k)} name=${k}>
              ${kind.map((o) => html`<option>${o}</option>`)}
            </select>`
        : kind === 'textarea'
          ? html`<label for=${id(k)}>${k}</label><textarea id=${id(k)} name=${k} rows="3"></textarea>`
          : html`<label for=${id(k)}>${k}</label><input id=${id(k)} name=${k} type=${kind} />`,
    )}
    <button type="submit" disabled=${busy}>${action.label}</button>
    <${Alert} error=${error} />
  </form>`;
}

function Deadlines({ ticket, policy, now }) {
  const rows = Object.entries(ticket.deadlines ?? {}).filter(([, v]) => v);
  if (!rows.length) return html`<p class="muted">No deadline is owed now.</p>`;
  return html`<table class="deadlines">
      <thead>
        <tr>
          <th>Clock</th>
          <th>Due</th>
          <th>In</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          ([k, v]) =>
            html`<tr data-clock=${k}>
              <td>${k.replace(/_/g, ' ')}</td>
              <td>${when(v)}</td>
              <td class=${Date.parse(v) < now ? 'late' : ''}>${duration(Date.parse(v) - now)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${policy && html`<p class="muted why">Counted on calendar <strong>${policy.calendarId}</strong> (${policy.zone}) of ${policy.name} v${policy.version}; time waiting on the customer does not count against resolution and updates.</p>`}`;
}

/** "first response stopped, was due …": one string, so htm keeps its spaces. */
function clockLine(c) {
  const was = c.from ? `, was due ${when(c.from)}` : '';
  const now = c.to ? `, now due ${when(c.to)}` : '';
  return `${c.clock.replace(/_/g, ' ')} ${c.change}${was}${now}`;
}

function Optional({ path, render: show }) {
  const [state, setState] = useState({ data: undefined, missing: false });
  const { data, error } = usePoll(path, !state.missing);
  useEffect(() => {
    if (error?.status === 404 && !data) setState({ data: undefined, missing: true });
  }, [error, data]);
  if (state.missing) return null;
  return data ? show(data) : null;
}

function Ticket({ id }) {
  const { data: t, error, reload } = usePoll(`/v1/tickets/${id}`);
  const [policy, setPolicy] = useState(undefined);
  const now = useNow();
  useEffect(() => {
    if (t?.policyId) api('GET', `/v1/policies/${t.policyId}?version=${t.policyVersion}`).then(setPolicy, () => setPolicy(undefined));
  }, [t?.policyId, t?.policyVersion]);
  if (!t)
    return html`<${Alert} error=${error} />
      <p>Loading ${id}…</p>`;
  return html`<article aria-labelledby="ticket-title">
    <h1 id="ticket-title">${t.id}: ${t.subject}</h1>
    <p class="facts">
      <span class="badge sla-${t.slaState}" data-testid="sla">${t.slaState}</span>${' '} <span data-testid="status">${t.status}</span> ·
      <span data-testid="priority">${t.priority}</span>${
        t.fields?.requestedPriority && t.fields.requestedPriority !== t.priority && html` (requester asked ${t.fields.requestedPriority})`
      }
      · policy ${t.policyId} v${t.policyVersion} · customer${' '}
      <a href=${`#/customers/${t.customerId}`}>${t.customerId}</a>
      ${t.coveredBy && html` · covered by ${t.coveredBy.kind}${t.coveredBy.id ? ` ${t.coveredBy.id}` : ''}`}
      ${t.assignee && html` · assigned to ${t.assignee}`}
    </p>
    <${Alert} error=${error} />
    <h2>Deadlines</h2>
    <${Deadlines} ticket=${t} policy=${policy} now=${now} />
    <h2>Conversation</h2>
    <p class="request">${t.description || html`<span class="muted">(no description)</span>`}</p>
    <${Optional}
      path=${`/v1/tickets/${id}/messages`}
      render=${(m) =>
        html`<ol class="thread">
          ${(m.items ?? []).map(
            (x) =>
              html`<li class=${`msg ${x.visibility ?? ''}`}>
                <header>
                  <strong>${x.author.name ?? x.author.email ?? x.author.kind}</strong> · ${x.kind.replace(/_/g, ' ')} · ${when(x.at)}
                  ${x.visibility === 'internal' ? html`<span class="badge">internal</span>` : ''}
                </header>
                <pre>${x.text ?? x.body}</pre>
              </li>`,
          )}
        </ol>`}
    />
    <h2>Actions</h2>
    <div class="actions">${ACTIONS.map((a) => html`<${ActionForm} ticketId=${t.id} action=${a} onDone=${reload} />`)}</div>
    <h2>Time</h2>
    <${Optional}
      path=${`/v1/tickets/${id}/time`}
      render=${(s) => html`<p>${s.totalMinutes} minutes recorded, ${s.unbilledMinutes} not billed.</p>`}
    />
    <h2>Timeline</h2>
    <${Optional}
      path=${`/v1/tickets/${id}/timeline`}
      render=${(tl) =>
        html`<ol class="timeline">
          ${(tl.items ?? []).map(
            (e) =>
              html`<li>
                <time>${when(e.at)}</time> <strong>${e.summary}</strong>${e.actor?.name ? ` · ${e.actor.name}` : ''}
                ${
                  (e.clocks ?? []).length > 0 &&
                  html`<ul class="clocks">
                    ${e.clocks.map((c) => html`<li>${clockLine(c)}</li>`)}
                  </ul>`
                }
              </li>`,
          )}
        </ol>`}
    />
  </article>`;
}

// ---- customer

/** A subscription as support sees it: the term that covers tickets, the incidents counted, what was invoiced. */
function Subscription({ s }) {
  const { data: inv } = usePoll(`/v1/subscriptions/${s.id}/invoices`);
  return html`<section class="subscription" data-subscription=${s.id}>
    <h3>${s.id}: ${s.planId} · ${s.tier}</h3>
    <p>
      <span class="badge">${s.status}</span> covers tickets from ${when(s.termStart)} to ${when(s.termEnd)} · ${s.seats} seat(s), billed
      ${s.billingCycle}${s.autoRenew ? ', renews automatically' : ''}${s.cancelAtTermEnd ? ', cancelled at term end' : ''}
    </p>
    ${
      (s.incidents ?? []).length > 0 &&
      html`<p>Incidents this year: ${s.incidents.map((i) => `${i.count} by ${i.channel} since ${when(i.yearStart)}`).join('; ')}</p>`
    }
    <table class="invoices">
      <tbody>
        ${(inv?.items ?? []).map(
          (i) =>
            html`<tr>
              <td>${when(i.issuedAt)}</td>
              <td>${i.lines.map((l) => l.description).join('; ')}</td>
              <td class="num">${i.total}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

function Customer({ id }) {
  const { data: c, error } = usePoll(`/v1/customers/${id}`);
  const { data: subs } = usePoll(`/v1/subscriptions?customerId=${encodeURIComponent(id)}`);
  const { data: charges } = usePoll(`/v1/customers/${id}/charges`);
  if (!c)
    return html`<${Alert} error=${error} />
      <p>Loading ${id}…</p>`;
  return html`<article aria-labelledby="customer-title">
    <h1 id="customer-title">${c.name} <span class="muted">(${c.id})</span></h1>
    <p>Vendor ${c.vendorId} · ${c.timeZone}${c.resellerId ? ` · through reseller ${c.resellerId}` : ''}</p>
    <h2>Contracts</h2>
    <ul>
      ${(c.contracts ?? []).map((k) => html`<li>${k.id}: ${k.policyId} from ${when(k.validFrom)}${k.validTo ? ` to ${when(k.validTo)}` : ''}</li>`)}
    </ul>
    <h2>Subscriptions</h2>
    ${(subs?.items ?? []).map((s) => html`<${Subscription} s=${s} key=${s.id} />`)}
    ${subs && subs.items.length === 0 && html`<p class="muted">None.</p>`}
    <${Optional}
      path=${`/v1/customers/${id}/features`}
      render=${(f) =>
        html`<h2>Features on now</h2>
          <ul>
            ${f.features.map((x) => html`<li>${`${x.feature}: ${x.enabled ? 'on' : 'off'} since ${when(x.since)}`}</li>`)}
          </ul>`}
    />
    <h2>Charges</h2>
    <table>
      <tbody>
        ${(charges?.items ?? []).map(
          (l) =>
            html`<tr>
              <td>${when(l.at)}</td>
              <td>${l.description}</td>
              <td class="num">${money(l.amountMinor, l.currency)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </article>`;
}

// ---- reports

function Bars({ rows }) {
  const w = 820;
  const bar = 22;
  const labelW = 380;
  const scale = (w - labelW - 80) / 100;
  const height = rows.length * (bar + 8) + 10;
  return html`<figure class="chart">
    <svg role="img" aria-label="Share of promises kept per group and clock" width=${w} height=${height} viewBox=${`0 0 ${w} ${height}`}>
      ${rows.map((r, i) => {
        const pct = r.percentMet;
        return html`<g transform=${`translate(0 ${i * (bar + 8) + 5})`}>
          <text x=${labelW - 8} y=${bar - 6} text-anchor="end">${r.label}</text>
          <rect
            x=${labelW}
            width=${Math.max(1, scale * pct)}
            height=${bar}
            class=${pct >= 95 ? 'good' : pct >= 80 ? 'fair' : 'poor'}
          ></rect>
          <text x=${labelW + 6 + scale * pct} y=${bar - 6}>${pct.toFixed(1)} %</text>
        </g>`;
      })}
    </svg>
  </figure>`;
}

function Reports() {
  // Whole UTC days ending at the coming midnight: the path stays the same between renders (a `to` of
  // "now" changed it on every render, so each answer started another fetch and the table never settled)
  // and a ticket opened while the page is open still falls inside the period.
  const to = new Date(Math.ceil((Date.now() + 1) / 86_400_000) * 86_400_000);
  const from = new Date(to.getTime() - 30 * 86_400_000);
  const [groupBy, setGroupBy] = useState('policy');
  const path = `/v1/reports/sla?from=${from.toISOString()}&to=${to.toISOString()}&groupBy=${groupBy}`;
  const { data, error } = usePoll(path);
  const rows = (data?.rows ?? []).map((r) => ({ ...r, label: `${r.group} · ${r.clock.replace(/_/g, ' ')}` }));
  return html`<section aria-labelledby="reports-title">
    <h1 id="reports-title">Promises kept, last 30 days</h1>
    <div class="controls">
      <label
        >Group by
        <select value=${groupBy} onChange=${(e) => setGroupBy(e.currentTarget.value)}>
          ${['policy', 'priority', 'customer', 'week'].map((g) => html`<option>${g}</option>`)}
        </select></label
      >
      <a class="csv" href=${`${path}&format=csv`} download="sla-report.csv">Download CSV</a>
    </div>
    <${Alert} error=${error} />
    ${rows.length ? html`<${Bars} rows=${rows.filter((r) => r.percentMet !== null)} />` : html`<p class="muted">No ticket was opened in this period.</p>`}
    <table class="report">
      <thead>
        <tr>
          <th>Group · clock</th>
          <th>Count</th>
          <th>Met</th>
          <th>Breached</th>
          <th>Pending</th>
          <th>% met</th>
          <th>p50 to meet</th>
          <th>p90 to meet</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (r) =>
            html`<tr data-row=${`${r.group}:${r.clock}`}>
              <td>${r.label}</td>
              <td class="num">${r.count}</td>
              <td class="num">${r.met}</td>
              <td class="num">${r.breached}</td>
              <td class="num">${r.pending}</td>
              <td class="num">${r.percentMet === null ? '—' : `${r.percentMet.toFixed(1)} %`}</td>
              <td class="num">${r.p50Seconds === null ? '—' : duration(r.p50Seconds * 1000)}</td>
              <td class="num">${r.p90Seconds === null ? '—' : duration(r.p90Seconds * 1000)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

// ---- router

function route(hash) {
  const [, page, id] = /^#\/([a-z]+)(?:\/(.+))?$/.exec(hash) ?? [];
  if (page === 'tickets' && id) return html`<${Ticket} id=${decodeURIComponent(id)} key=${id} />`;
  if (page === 'customers' && id) return html`<${Customer} id=${decodeURIComponent(id)} key=${id} />`;
  if (page === 'reports') return html`<${Reports} />`;
  return html`<${Queue} />`;
}

function App() {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => {
      setHash(location.hash);
      document.getElementById('app')?.focus();
    };
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route(hash);
}

const root = document.getElementById('app');
root.textContent = '';
render(html`<${App} />`, root);
