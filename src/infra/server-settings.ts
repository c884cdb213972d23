/**
 * Dynamic config every Temporal server we start runs with (dev server, tests, bench, chaos); compose
 * mounts the same values from scripts/temporal/dynamicconfig.yaml. Why each value: see that file.
 */
export const SERVER_DYNAMIC_CONFIG: Readonly<Record<string, string | number | boolean>> = {
  'system.enableActivityEagerExecution': true,
  'matching.numTaskqueueReadPartitions': 1,
  'matching.numTaskqueueWritePartitions': 1,
  'frontend.enableExecuteMultiOperation': true,
};

/** `temporal server start-dev` flags for SERVER_DYNAMIC_CONFIG plus `extra`. */
export function dynamicConfigArgs(extra: Readonly<Record<string, string | number | boolean>> = {}): string[] {
  return Object.entries({ ...SERVER_DYNAMIC_CONFIG, ...extra }).flatMap(([k, v]) => [
    '--dynamic-config-value',
    `${k}=${JSON.stringify(v)}`,
  ]);
}
