import type * as vscode from 'vscode';

/** Resolves when `condition()` holds, re-checking whenever `event` fires (no sleeping, no polling of the clock). */
export function when<T>(event: vscode.Event<unknown>, condition: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const now = condition();
  if (now) {
    return Promise.resolve(now);
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const sub = event(() => {
      const value = condition();
      if (value) {
        clearTimeout(timer);
        sub.dispose();
        resolve(value);
      }
    });
  });
}
