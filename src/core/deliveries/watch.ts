import { setTimeout as sleep } from 'node:timers/promises';
import { allSettled, pollDelayMs, type DeliveryResult } from './deliveries';

export interface WatchOptions {
  /** Stops watching (the last results are returned). */
  signal?: AbortSignal;
  /** The first wait between checks in ms, doubling up to `capMs`; default 2 s. */
  firstDelayMs?: number;
  /** The longest wait between checks; default 60 s. */
  capMs?: number;
  /** After every check: all results, and the ones delivered since the previous check. */
  onCheck?(results: DeliveryResult[], newlyDelivered: DeliveryResult[]): void;
}

function keyOf(r: DeliveryResult): string {
  return `${r.bucket}\u0000${r.key}`;
}

/**
 * Checks, then checks again with backoff until every target is delivered or
 * expired (or the signal aborts), reporting each check and each new delivery.
 * Resolves to the last results.
 */
export async function watchDeliveries(check: () => Promise<DeliveryResult[]>, options: WatchOptions = {}): Promise<DeliveryResult[]> {
  let results = await check();
  options.onCheck?.(results, results.filter((r) => r.state === 'delivered'));
  for (let attempt = 0; !allSettled(results) && !options.signal?.aborted; attempt++) {
    try {
      await sleep(pollDelayMs(attempt, options.firstDelayMs, options.capMs), undefined, { signal: options.signal });
    } catch {
      break; // aborted
    }
    const before = new Set(results.filter((r) => r.state === 'delivered').map(keyOf));
    results = await check();
    options.onCheck?.(results, results.filter((r) => r.state === 'delivered' && !before.has(keyOf(r))));
  }
  return results;
}
