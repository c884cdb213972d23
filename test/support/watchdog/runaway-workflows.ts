import { condition, defineSignal, setHandler, sleep } from '@temporalio/workflow';

/**
 * Workflows whose code never yields, one for each place an activation runs workflow code: a signal
 * handler (the activation's jobs), a continuation after a timer (the microtasks the jobs release) and a
 * condition's predicate (the SDK's unblocking loop). The worker's deadlock watchdog must end each one.
 */
export const spinSignal = defineSignal('spin');

const spin = (): boolean => {
  for (;;) {
    // Nothing: a bug that never returns.
  }
};

export async function spinInHandlerWorkflow(): Promise<void> {
  setHandler(spinSignal, () => void spin());
  await condition(() => false);
}

export async function spinAfterTimerWorkflow(): Promise<void> {
  await sleep(10);
  spin();
}

export async function spinInConditionWorkflow(): Promise<void> {
  await sleep(10);
  await condition(spin);
}

export async function echoWorkflow(text: string): Promise<string> {
  await sleep(10);
  return text;
}
