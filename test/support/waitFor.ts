import { setTimeout as delay } from 'node:timers/promises';

/**
 * Waits for a condition (checked every 20 ms) and resolves with its value; rejects
 * after `timeoutMs`. For state that changes outside the test's control (a
 * line written after an answer), so that no sleep stands in for it.
 */
export async function waitFor<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs: number, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what} not met within ${timeoutMs} ms`);
    }
    await delay(20);
  }
}
