import * as vscode from 'vscode';
import { errorText } from '../core/errorText';

/** What a guarded command logs to: the extension's log channel (or anything with `error`). */
export interface ErrorLog {
  error(message: string): void;
}

/**
 * Wraps a command body so that a thrown error becomes one log line (`name: message`)
 * and one error notification, and the command resolves with `undefined` instead of
 * rejecting (VS Code would otherwise show its own, less readable, "command failed").
 * `describe` words the notification when the bare message needs context.
 */
export function runGuarded<A extends unknown[], R>(
  name: string,
  log: ErrorLog,
  body: (...args: A) => Promise<R>,
  describe: (message: string) => string = (message) => message,
): (...args: A) => Promise<R | undefined> {
  return async (...args: A) => {
    try {
      return await body(...args);
    } catch (err) {
      const message = errorText(err);
      log.error(`${name}: ${message}`);
      void vscode.window.showErrorMessage(describe(message));
      return undefined;
    }
  };
}
