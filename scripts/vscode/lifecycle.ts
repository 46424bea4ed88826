import { createServer } from 'node:net';

/** One thing a script started, and how to stop it. */
export interface StopStep {
  what: string;
  run: () => Promise<unknown>;
}

/**
 * The stop list of a script that starts servers and browsers: push a step for
 * everything started; `stopAll` undoes them in reverse order, once, logging
 * (not throwing) a step that fails so the rest still stop. `isStopping` says
 * whether `stopAll` has begun.
 */
export function stopList(log: (message: string) => void): { stops: StopStep[]; stopAll: () => Promise<void>; isStopping: () => boolean } {
  const stops: StopStep[] = [];
  let stopping: Promise<void> | undefined;
  const stopAll = (): Promise<void> =>
    (stopping ??= (async () => {
      for (const step of stops.reverse()) {
        try {
          await step.run();
        } catch (error) {
          log(`Could not ${step.what}: ${(error as Error).message}`);
        }
      }
    })());
  return { stops, stopAll, isStopping: () => stopping !== undefined };
}

/** Whether 127.0.0.1:`port` can be listened on right now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * Stops everything on SIGINT, SIGTERM or SIGHUP, then exits with the signal's
 * conventional code (130, 143, 129). For scripts without a second-signal policy
 * of their own (npm start has one: see scripts/start.ts).
 */
export function stopOnSignals(log: (message: string) => void, stopAll: () => Promise<void>): void {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping everything`);
      void stopAll().then(() => process.exit(code));
    });
  }
}
