import * as vscode from 'vscode';
import { CommandIds } from './commandIds';
import { createExtensionLog } from './log/extensionLog';
import { productVersion } from './core/version';

/**
 * Builds the services and registers every capability. Each feature's
 * registration function pushes its own disposables.
 */
export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = createExtensionLog();
  context.subscriptions.push(log);
  context.subscriptions.push(vscode.commands.registerCommand(CommandIds.showLog, () => log.show()));
  log.info(`S3 Hooks ${productVersion} activated in ${(performance.now() - started).toFixed(1)} ms`);
}

/** Long-lived resources are disposed through context.subscriptions. */
export function deactivate(): void {
  // Nothing beyond context.subscriptions yet.
}
