/**
 * The part of the ticket domain the workflow sandbox loads. The sandbox evaluates every imported
 * module once per workflow, so nothing here pulls in zod (./policy-schema) or the holiday rules
 * (./policy-calendar compiles presets with them): a cached ticket stays small.
 */
export * from './types';
export * from './actions';
export * from './lifecycle';
export * from './policy';
export * from './sla-clock';
export * from './ticket-clocks';
export * from './requested-callback';
export * from './evolve';
export * from './describe';
export type { CalendarResolver } from './policy-calendar';
