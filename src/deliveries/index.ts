import * as vscode from 'vscode';
import { CommandIds, ViewIds } from '../commandIds';
import { s3ConnectionFor } from '../ui/s3Connection';
import type { DeliveryMarker, ObjectFetcher } from '../services';
import { CallbackDeliveriesModel } from './callbackDeliveriesModel';
import { CallbackDeliveriesProvider, type DeliveryNode } from './callbackDeliveriesProvider';
import { DeliveryTracker } from './deliveryTracker';
import { errorText } from '../core/errorText';

/** What the deliveries feature offers: the listener marks a tracked key delivered when S3 notifies; the API exposes the model. */
export interface CallbackDeliveries extends DeliveryMarker {
  readonly model: CallbackDeliveriesModel;
}

async function documentsOf(arg: unknown, selection: unknown): Promise<vscode.TextDocument[]> {
  const uris = Array.isArray(selection) && selection.length > 1 ? selection : arg instanceof vscode.Uri ? [arg] : Array.isArray(arg) ? arg : [];
  if (uris.length === 0) {
    const active = vscode.window.activeTextEditor?.document;
    return active ? [active] : [];
  }
  return Promise.all(uris.filter((u): u is vscode.Uri => u instanceof vscode.Uri).map((u) => vscode.workspace.openTextDocument(u)));
}

/**
 * "S3 Hooks: Track Callback Deliveries" (lens at the top of a callback
 * document, Explorer and editor menus, palette) and the Callback Deliveries
 * view: which callbacks were delivered, persisted across reloads.
 */
export function registerDeliveries(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, deps: ObjectFetcher): CallbackDeliveries {
  const model = new CallbackDeliveriesModel(context.workspaceState);
  const tracker = new DeliveryTracker(model, (scope) => s3ConnectionFor(context.secrets, scope), log);
  const provider = new CallbackDeliveriesProvider(model);
  const view = vscode.window.createTreeView(ViewIds.callbackDeliveries, { treeDataProvider: provider, canSelectMany: false });

  const track = async (arg?: unknown, selection?: unknown) => {
    const docs = await documentsOf(arg, selection);
    if (docs.length === 0) {
      void vscode.window.showInformationMessage('Open a callback document (JSON with presigned PUT URLs) first, or right-click one in the Explorer.');
      return [];
    }
    const tracked = [];
    for (const doc of docs) {
      try {
        tracked.push(await tracker.track(doc));
      } catch (err) {
        const message = errorText(err);
        log.warn(`Track Callback Deliveries: ${message}`);
        void vscode.window.showWarningMessage(`${message.replace(/\.$/, '')} (${doc.uri.path.split('/').pop()}).`);
      }
    }
    if (tracked.length > 0) {
      await vscode.commands.executeCommand(`${ViewIds.callbackDeliveries}.focus`);
    }
    return tracked;
  };

  context.subscriptions.push(
    model,
    provider,
    view,
    tracker,
    vscode.commands.registerCommand(CommandIds.trackCallbackDeliveries, track),
    vscode.commands.registerCommand(CommandIds.refreshCallbackDeliveries, async (node?: DeliveryNode) => {
      const docs = node?.kind === 'document' ? [node.document] : model.list();
      for (const doc of docs) {
        const results = await tracker.checkOnce(doc);
        if (results.some((r) => r.state === 'pending') && !model.isWatching(doc.uri)) {
          tracker.watch(doc);
        }
      }
    }),
    vscode.commands.registerCommand(CommandIds.untrackCallbackDocument, async (node?: DeliveryNode) => {
      if (node?.kind === 'document') {
        tracker.stop(node.document.uri);
        await model.untrack(node.document.uri);
      }
    }),
    vscode.commands.registerCommand(CommandIds.fetchDeliveredResult, async (node?: DeliveryNode) => {
      if (node?.kind !== 'result' || node.result.state !== 'delivered') {
        void vscode.window.showInformationMessage('Choose a delivered result in the Callback Deliveries view.');
        return;
      }
      try {
        await deps.fetchObject(node.result.bucket, node.result.key, `${node.result.label} (delivered callback)`);
      } catch (err) {
        void vscode.window.showErrorMessage(`${node.result.label}: could not fetch s3://${node.result.bucket}/${node.result.key}: ${errorText(err)}`);
      }
    }),
  );
  return { markDelivered: (bucket, key) => tracker.markDelivered(bucket, key), model };
}
