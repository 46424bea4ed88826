import * as vscode from 'vscode';
import type { S3HooksApi } from './api';
import { CommandIds } from './commandIds';
import { notifiedObjects, s3ObjectEventJson } from './core/deliveries/deliveries';
import { productVersion } from './core/version';
import { registerDeliveries } from './deliveries';
import { registerFetch } from './fetch';
import { closeWebhookListener, registerWebhookListener } from './listener';
import { createExtensionLog } from './log/extensionLog';
import { registerPresign } from './presign';
import { registerRecentDownloads } from './recentDownloads';
import { registerAccessKeyCommands } from './s3/accessKeyCommands';
import { registerWalkthrough } from './walkthrough';
import { registerWebhookEventsView } from './webhookEvents';

/**
 * Builds the services and registers every capability. Each feature's
 * registration function pushes its own disposables onto context.subscriptions
 * and receives only the narrow interfaces of src/services.ts it needs: no
 * feature folder imports another.
 */
export function activate(context: vscode.ExtensionContext): S3HooksApi {
  const started = performance.now();
  const log = createExtensionLog();
  context.subscriptions.push(log);
  context.subscriptions.push(vscode.commands.registerCommand(CommandIds.showLog, () => log.show()));
  registerWalkthrough(context);
  registerAccessKeyCommands(context, log);
  registerPresign(context, log);
  const recentDownloads = registerRecentDownloads(context, log);
  const eventFetcher = registerFetch(context, log, recentDownloads);
  const webhookListener = registerWebhookListener(context, log);
  const webhookEvents = registerWebhookEventsView(context, log, webhookListener, eventFetcher);
  const callbackDeliveries = registerDeliveries(context, log, {
    fetchObject: (bucket, key, label) => eventFetcher.fetchAll(s3ObjectEventJson(bucket, key), { label }).then(() => undefined),
  });
  // Presign meets the listener here: an S3 notification for a tracked key marks it delivered without waiting for a poll.
  context.subscriptions.push(
    webhookListener.onDidReceiveEvent((event) => {
      for (const { bucket, key } of notifiedObjects(event.body.text)) {
        void callbackDeliveries.markDelivered(bucket, key);
      }
    }),
  );

  const activationMs = performance.now() - started;
  log.info(`S3 Hooks ${productVersion} activated in ${activationMs.toFixed(1)} ms`);
  return { activationMs, webhookListener, webhookEvents, recentDownloads, callbackDeliveries: callbackDeliveries.model };
}

/**
 * Long-lived resources are disposed through context.subscriptions; the
 * returned promise lets VS Code wait for the webhook listener to close and
 * its history to be flushed.
 */
export function deactivate(): Promise<void> {
  return closeWebhookListener();
}
