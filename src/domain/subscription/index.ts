/**
 * Pure subscription domain: no I/O, no clock, no randomness, so the subscription workflow, the
 * API and the ticket workflow can all run it (including inside Temporal's workflow sandbox).
 * Every operation takes `now`; time-driven transitions are applied by advance(), which callers
 * run before any customer operation.
 */
export * from './types.js';
export { planCatalog, hardwareCatalog, findPlan, findPlanByTier, findProduct, plansFor, repin } from './plan-catalog.js';
export { createSubscription } from './create.js';
export { createInputProblems } from './create-input.js';
export type { CreateSubscriptionInput, CreateOptions } from './create.js';
export { renew } from './renew.js';
export type { RenewOptions } from './renew.js';
export { lapse, purge } from './lapse.js';
export { reinstate } from './reinstate.js';
export { upgradeTier } from './upgrade.js';
export { addSeats } from './seats.js';
export { recordIncident, releaseIncident } from './incidents.js';
export { extendWarranty, isHardwareCovered } from './warranty.js';
export type { WarrantyOptions } from './warranty.js';
export { cancelAtTermEnd } from './cancel.js';
export { entitlementAt, incidentsUsed } from './entitlement.js';
export type { Entitlement } from './entitlement.js';
export { reminderSchedule, DEFAULT_REMINDER_OFFSETS_DAYS } from './reminders.js';
export type { Reminder } from './reminders.js';
export { nextTimers, TimerKind } from './timers.js';
export type { Timer } from './timers.js';
export { advance } from './advance.js';
export { isRunning, tierChangeAt, subscriptionYearAt } from './timeline.js';
export { roundHalfUp, splitEvenly } from './money.js';
export { MAX_REMEMBERED_OPERATIONS } from './outcome.js';
export { countUsers, DeviceKind, DEVICE_KINDS, NotCountedReason } from './user-count.js';
export type { Device, UserCount } from './user-count.js';
export { serviceStart } from './service-start.js';
export { featureSet, licenseSet } from './feature-set.js';
export type { CustomerFeature, CustomerLicense, FeatureGrant } from './feature-set.js';
export { formatMoney } from './money-text.js';
export { licenseStatus, licensesOf } from './third-party-licenses.js';
export type { LicenseStatus } from './third-party-licenses.js';
