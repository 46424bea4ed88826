import * as vscode from 'vscode';
import type { S3HooksApi } from './api';
import { CommandIds } from './commandIds';
import { productVersion } from './core/version';
import { createExtensionLog } from './log/extensionLog';
import { registerPresign } from './presign';
import { registerAccessKeyCommands } from './s3/accessKeyCommands';

/**
 * Builds the services and registers every capability. Each feature's
 * registration function pushes its own disposables onto context.subscriptions.
 */
export function activate(context: vscode.ExtensionContext): S3HooksApi {
  const started = performance.now();
  const log = createExtensionLog();
  context.subscriptions.push(log);
  context.subscriptions.push(vscode.commands.registerCommand(CommandIds.showLog, () => log.show()));
  registerAccessKeyCommands(context, log);
  registerPresign(context, log);

  const activationMs = performance.now() - started;
  log.info(`S3 Hooks ${productVersion} activated in ${activationMs.toFixed(1)} ms`);
  return { activationMs };
}

/** Long-lived resources are disposed through context.subscriptions. */
export function deactivate(): void {
  // Nothing beyond context.subscriptions yet.
}
