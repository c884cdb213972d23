/**
 * A plain, hand-written model of one standard (non-emergency) ticket, for the model-based test in
 * test/integration/ticket-model.test.ts. It restates the rules of src/domain/ticket/lifecycle.ts (and the
 * README's "A ticket's life") as a table and a few clock rules, on purpose without importing decide():
 * the test is an independent check of the domain and the workflow together.
 *
 * The model knows statuses, refusal codes, which SLA clocks run (and so which deadlines the view shows),
 * which clock was freshly started, and whether a clock's current instance has breached. Instants it does
 * not compute itself (deadlines, auto-close, reopen window) it takes from the workflow's view and checks
 * by relations (see the test).
 */

export type Status = 'new' | 'answered' | 'in_progress' | 'waiting_on_customer' | 'escalated' | 'resolved' | 'closed';
export const PRIORITY_ORDER = ['low', 'normal', 'high', 'urgent'] as const;
export type ModelPriority = (typeof PRIORITY_ORDER)[number];
export type Kind = 'first_response' | 'next_reply' | 'periodic_update' | 'resolution';
export const KINDS: readonly Kind[] = ['first_response', 'next_reply', 'periodic_update', 'resolution'];
/** Clocks whose deadline passing is a breach (a periodic update is a mail, not a breach). */
export type BreachKind = Exclude<Kind, 'periodic_update'>;
export const BREACH_KINDS: readonly BreachKind[] = ['first_response', 'next_reply', 'resolution'];
/** absent: never started; stopped: the promise ended; paused: not counting, deadline unknown. */
export type ClockState = 'absent' | 'running' | 'paused' | 'stopped';

/**
 * KNOWN BUG switch (see the report of issue 12 item 10): the first public staff reply — respond,
 * request-info, or the resolution, which "answers whatever was owed" — ends the first-response clock
 * whatever the status is. The workflow ends it only when the status is still `new`: a ticket escalated to
 * development before anyone answered keeps its first-response clock running after the agent's reply (and
 * breaches it), and never records firstRespondedAt. true = the rule as the domain states it (the test
 * fails until the workflow follows it); false = what the workflow does today.
 */
export const FIRST_REPLY_ENDS_FIRST_RESPONSE_IN_ANY_STATUS = true;

/**
 * KNOWN BUG switch (see the report): a development ticket outlives its customer ticket (ParentClosePolicy
 * ABANDON). Once the customer ticket's workflow has ended, development's progress or fix on the still-open
 * development ticket fails with a non-domain `ExternalWorkflowExecutionNotFound` failure after the
 * development ticket already recorded it (a fix even resolves it). true = such actions are accepted like
 * any other on an open development ticket; false = skip them (commands on a development ticket whose
 * customer ticket is finished are not generated).
 */
export const DEV_TICKET_ACCEPTS_ACTIONS_AFTER_PARENT_ENDED = true;

/** Business hours per target, hand-copied from the smartwork presets (001, src/domain/ticket/policy-presets.ts). */
export const SMARTWORK_TARGET_HOURS: Record<ModelPriority, Record<Kind | 'resolution_second', number>> = {
  low: { first_response: 16, next_reply: 24, periodic_update: 40, resolution: 80, resolution_second: 320 },
  normal: { first_response: 8, next_reply: 16, periodic_update: 16, resolution: 40, resolution_second: 160 },
  high: { first_response: 4, next_reply: 8, periodic_update: 8, resolution: 16, resolution_second: 80 },
  urgent: { first_response: 2, next_reply: 4, periodic_update: 4, resolution: 8, resolution_second: 40 },
};

/** What gets a `ticket_events` row on the customer ticket, by kind. */
export type EventKind =
  | 'respond'
  | 'request_info'
  | 'customer_reply'
  | 'change_priority'
  | 'escalate'
  | 'resolve'
  | 'reopen'
  | 'close'
  | 'dev_update'
  | 'dev_resolved';

export interface TicketModel {
  status: Status;
  priority: ModelPriority;
  level: 'first' | 'second';
  /** What the customer ticket knows: a development ticket is open. */
  devOpen: boolean;
  /** The development ticket's own workflow. */
  devWorkflow: 'none' | 'open' | 'done';
  clocks: Record<Kind, ClockState>;
  /** The clock's current instance has breached (a restarted next-reply clock is a new instance). */
  breached: Record<BreachKind, boolean>;
  /** autoCloseAt is shown: scheduled by a resolution, kept by the automatic close, dropped by staff close and reopen. */
  autoClose: boolean;
  firstResponded: boolean;
  /** The customer ticket's workflow has ended (closed, and its reopen window is over). */
  finished: boolean;
  /** Accepted actions and timer transitions that write an event row, by kind. */
  events: Record<EventKind, number>;
}

export function initialModel(priority: ModelPriority): TicketModel {
  return {
    status: 'new',
    priority,
    level: 'first',
    devOpen: false,
    devWorkflow: 'none',
    clocks: { first_response: 'running', next_reply: 'absent', periodic_update: 'running', resolution: 'running' },
    breached: { first_response: false, next_reply: false, resolution: false },
    autoClose: false,
    firstResponded: false,
    finished: false,
    events: {
      respond: 0,
      request_info: 0,
      customer_reply: 0,
      change_priority: 0,
      escalate: 0,
      resolve: 0,
      reopen: 0,
      close: 0,
      dev_update: 0,
      dev_resolved: 0,
    },
  };
}

function cloneModel(m: TicketModel): TicketModel {
  return structuredClone(m);
}

export type Act =
  | { type: 'respond' }
  | { type: 'request_info' }
  | { type: 'customer_reply' }
  | { type: 'change_priority'; priority: string }
  | { type: 'escalate' }
  | { type: 'resolve'; kind: string }
  | { type: 'reopen' }
  | { type: 'close' }
  | { type: 'dev_progress' }
  | { type: 'dev_resolve' };

/**
 * Refusal codes: the domain's snake_case codes (lifecycle.ts) for refusals by the ticket workflow, plus
 * the API's codes for a workflow that is gone: `ticket_finished` (the customer ticket's workflow ended)
 * and `no_dev_ticket` (no open development ticket workflow).
 */
export type Prediction =
  | { ok: false; code: string }
  | {
      ok: true;
      next: TicketModel;
      /** A customer reply to a closed ticket belongs to a follow-up ticket. */
      followUp: boolean;
      /** Clocks this action stops, pauses, resumes, (re)starts or retargets: their deadline may move. */
      touched: Set<Kind>;
      /** Clocks started afresh by this action (their target counts from the action). */
      fresh: Set<Kind>;
      /** A priority change: which way the targets went. */
      retarget?: 'raise' | 'lower' | 'second_level';
      /** The customer ticket changes asynchronously (development reports back by signal). */
      viaSignal: boolean;
    };

const OPEN: readonly Status[] = ['new', 'answered', 'in_progress', 'waiting_on_customer', 'escalated'];
const isOpen = (s: Status) => OPEN.includes(s);

/**
 * Status × action, by hand. A status is the next status, `!code` a refusal, `~follow_up` a reply that
 * belongs to a new ticket, `working` where work continues (escalated while development works, else
 * in_progress). Guards that depend on more than the status (priority unchanged, an unknown value, an
 * open development ticket) are in step().
 */
type Cell = Status | 'working' | `!${string}` | '~follow_up';
type Row = Record<Status, Cell>;
const row = (n: Cell, a: Cell, ip: Cell, w: Cell, e: Cell, r: Cell, c: Cell): Row => ({
  new: n,
  answered: a,
  in_progress: ip,
  waiting_on_customer: w,
  escalated: e,
  resolved: r,
  closed: c,
});
const WAIT = 'waiting_on_customer';
const ESC = 'escalated';
const CLOSED = '!ticket_closed';
const RESOLVED = '!ticket_resolved';
const NOT_RESOLVED = '!not_resolved';
const TABLE: Record<Exclude<Act['type'], 'dev_progress' | 'dev_resolve'>, Row> = {
  // Columns: new, answered, in_progress, waiting_on_customer, escalated, resolved, closed.
  respond: row('answered', 'answered', 'answered', WAIT, ESC, 'resolved', CLOSED),
  request_info: row(WAIT, WAIT, WAIT, '!already_waiting', WAIT, RESOLVED, CLOSED),
  customer_reply: row('new', 'in_progress', 'in_progress', 'working', ESC, 'working', '~follow_up'),
  change_priority: row('new', 'answered', 'in_progress', WAIT, ESC, RESOLVED, CLOSED),
  escalate: row(ESC, ESC, ESC, '!waiting_on_customer', '!already_escalated', RESOLVED, CLOSED),
  resolve: row('resolved', 'resolved', 'resolved', 'resolved', 'resolved', '!already_resolved', CLOSED),
  reopen: row(NOT_RESOLVED, NOT_RESOLVED, NOT_RESOLVED, NOT_RESOLVED, NOT_RESOLVED, 'working', 'working'),
  close: row(NOT_RESOLVED, NOT_RESOLVED, NOT_RESOLVED, NOT_RESOLVED, NOT_RESOLVED, 'closed', '!already_closed'),
};

class Clocks {
  readonly touched = new Set<Kind>();
  readonly fresh = new Set<Kind>();
  constructor(private readonly m: TicketModel) {}
  /** The promise ended (kept, or no longer owed). */
  stop(k: Kind) {
    const c = this.m.clocks[k];
    if (c === 'running' || c === 'paused') {
      this.m.clocks[k] = 'stopped';
      this.touched.add(k);
    }
  }
  /** Only resolution and periodic updates pause; a paused clock shows no deadline. */
  pause(k: 'resolution') {
    if (this.m.clocks[k] === 'running') {
      this.m.clocks[k] = 'paused';
      this.touched.add(k);
    }
  }
  /** Counting continues where it stood: the same promise, so an earlier breach of it stays the breach. */
  resume(k: 'resolution') {
    if (this.m.clocks[k] === 'paused' || this.m.clocks[k] === 'stopped') {
      this.m.clocks[k] = 'running';
      this.touched.add(k);
    }
  }
  /** A new promise unless one of this kind is already running. */
  start(k: Kind) {
    if (this.m.clocks[k] === 'running') return;
    this.restart(k);
  }
  /** A new promise, always. */
  restart(k: Kind) {
    this.m.clocks[k] = 'running';
    if (k !== 'periodic_update') this.m.breached[k] = false;
    this.touched.add(k);
    this.fresh.add(k);
  }
  /** New targets for every running or paused clock; time used stays used. */
  retarget() {
    for (const k of KINDS) if (this.m.clocks[k] === 'running' || this.m.clocks[k] === 'paused') this.touched.add(k);
  }
  /**
   * A public staff reply. The first one is the first response; any reply answers the customer's last
   * message. See FIRST_REPLY_ENDS_FIRST_RESPONSE_IN_ANY_STATUS.
   */
  staffReply(statusBefore: Status) {
    const firstReply = FIRST_REPLY_ENDS_FIRST_RESPONSE_IN_ANY_STATUS ? this.m.clocks.first_response === 'running' : statusBefore === 'new';
    if (firstReply) {
      this.stop('first_response');
      this.m.firstResponded = true;
    }
    if (statusBefore !== 'new') this.stop('next_reply');
  }
}

/** The model's answer to an action: refused with a code, or the next model and what moved. */
export function step(model: TicketModel, act: Act): Prediction {
  if (act.type === 'dev_progress' || act.type === 'dev_resolve') return devStep(model, act);
  if (model.finished) return { ok: false, code: 'ticket_finished' };
  const s = model.status;
  // An open development ticket is named first: a ticket waiting on the customer while development works
  // is "already escalated" rather than "waiting on the customer".
  if (act.type === 'escalate' && isOpen(s) && model.devOpen) return { ok: false, code: 'already_escalated' };
  const cell = TABLE[act.type][s];
  if (cell.startsWith('!')) return { ok: false, code: cell.slice(1) };

  // Guards beyond the status, in the order the rules give them.
  if (act.type === 'change_priority') {
    if (!(PRIORITY_ORDER as readonly string[]).includes(act.priority)) return { ok: false, code: 'invalid_action' };
    if (act.priority === model.priority) return { ok: false, code: 'priority_unchanged' };
  }
  if (act.type === 'resolve' && !['solution', 'workaround'].includes(act.kind)) return { ok: false, code: 'invalid_action' };

  const next = cloneModel(model);
  const c = new Clocks(next);
  const working: Status = model.devOpen ? 'escalated' : 'in_progress';
  next.status = cell === 'working' ? working : cell === '~follow_up' ? s : (cell as Status);
  let retarget: 'raise' | 'lower' | 'second_level' | undefined;

  switch (act.type) {
    case 'respond':
      // On a resolved ticket or one waiting on the customer a reply changes no clock.
      if (s !== 'resolved' && s !== 'waiting_on_customer') {
        c.staffReply(s);
        c.restart('periodic_update');
      }
      next.events.respond += 1;
      break;
    case 'request_info':
      c.staffReply(s);
      c.pause('resolution');
      c.stop('periodic_update');
      next.events.request_info += 1;
      break;
    case 'customer_reply':
      if (s === 'waiting_on_customer' || s === 'resolved') {
        c.resume('resolution');
        c.start('next_reply');
        c.restart('periodic_update');
        next.autoClose = false;
      } else if (s !== 'new' && s !== 'closed') {
        c.start('next_reply');
      }
      next.events.customer_reply += 1;
      break;
    case 'change_priority': {
      const rank = (p: string) => PRIORITY_ORDER.indexOf(p as ModelPriority);
      retarget = rank(act.priority) > rank(model.priority) ? 'raise' : 'lower';
      next.priority = act.priority as ModelPriority;
      c.retarget();
      next.events.change_priority += 1;
      break;
    }
    case 'escalate':
      // 003: the second level is a promise of its own ("within 4 working days"): it can breach after the first did.
      if (model.level === 'first') next.breached.resolution = false;
      next.devOpen = true;
      next.devWorkflow = 'open';
      next.level = 'second';
      retarget = 'second_level';
      c.retarget();
      next.events.escalate += 1;
      break;
    case 'resolve':
      // The solution or workaround is a public reply: it answers whatever was owed.
      c.staffReply(s);
      for (const k of KINDS) c.stop(k);
      next.autoClose = true;
      next.events.resolve += 1;
      break;
    case 'reopen':
      c.resume('resolution');
      c.start('next_reply');
      c.restart('periodic_update');
      next.autoClose = false;
      next.events.reopen += 1;
      break;
    case 'close':
      next.autoClose = false;
      next.events.close += 1;
      break;
  }
  return {
    ok: true,
    next,
    followUp: cell === '~follow_up',
    touched: c.touched,
    fresh: c.fresh,
    ...(retarget ? { retarget } : {}),
    viaSignal: false,
  };
}

/** Development's progress and fix go to the development ticket, which reports back to the customer ticket. */
function devStep(model: TicketModel, act: Extract<Act, { type: 'dev_progress' | 'dev_resolve' }>): Prediction {
  if (model.devWorkflow !== 'open') return { ok: false, code: 'no_dev_ticket' };
  const next = cloneModel(model);
  const c = new Clocks(next);
  if (act.type === 'dev_resolve') next.devWorkflow = 'done';
  if (!model.finished && model.devOpen) {
    if (act.type === 'dev_progress') {
      next.events.dev_update += 1;
    } else {
      next.devOpen = false;
      next.events.dev_resolved += 1;
      // Development is done: support now owes the customer the outcome.
      if (model.status === 'escalated') {
        next.status = 'in_progress';
        c.start('next_reply');
      }
    }
  }
  return { ok: true, next, followUp: false, touched: c.touched, fresh: c.fresh, viaSignal: !model.finished };
}

/** The clocks whose deadline the view must show. */
export function shownDeadlines(m: TicketModel): Kind[] {
  return KINDS.filter((k) => m.clocks[k] === 'running');
}
