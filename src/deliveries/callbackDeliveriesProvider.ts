import * as vscode from 'vscode';
import { CommandIds } from '../commandIds';
import type { DeliveryResult } from '../core/deliveries/deliveries';
import { deliveryItemText, trackedDocumentText, type ItemText } from '../core/deliveries/presentation';
import type { CallbackDeliveriesModel, TrackedDocument } from './callbackDeliveriesModel';

/** A tree element: a tracked document, or one of its results (with the document's URI). */
export type DeliveryNode = { kind: 'document'; document: TrackedDocument } | { kind: 'result'; uri: string; result: DeliveryResult };

function itemFor(text: ItemText, collapsible: vscode.TreeItemCollapsibleState): vscode.TreeItem {
  const item = new vscode.TreeItem(text.label, collapsible);
  item.description = text.description;
  item.tooltip = text.tooltip;
  item.contextValue = text.contextValue;
  item.iconPath = new vscode.ThemeIcon(text.icon);
  return item;
}

/** Maps the model to tree items: documents with their results under them. */
export class CallbackDeliveriesProvider implements vscode.TreeDataProvider<DeliveryNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly model: CallbackDeliveriesModel) {
    this.subscription = model.onDidChange(() => this.changed.fire());
  }

  getChildren(element?: DeliveryNode): DeliveryNode[] {
    if (!element) {
      return this.model.list().map((document) => ({ kind: 'document', document }));
    }
    if (element.kind === 'document') {
      const { document } = element;
      // Results once checked; the targets (as pending, unchecked) before the first check finishes.
      return document.targets.map((t) => ({
        kind: 'result',
        uri: document.uri,
        result: document.results.find((r) => r.bucket === t.bucket && r.key === t.key) ?? { ...t, state: 'pending', checkedAt: document.addedAt },
      }));
    }
    return [];
  }

  getTreeItem(node: DeliveryNode): vscode.TreeItem {
    if (node.kind === 'document') {
      const item = itemFor(trackedDocumentText(node.document.name, node.document.results, this.model.isWatching(node.document.uri)), vscode.TreeItemCollapsibleState.Expanded);
      item.resourceUri = vscode.Uri.parse(node.document.uri);
      item.id = node.document.uri;
      item.command = { title: 'Open', command: 'vscode.open', arguments: [vscode.Uri.parse(node.document.uri)] };
      return item;
    }
    const item = itemFor(deliveryItemText(node.result), vscode.TreeItemCollapsibleState.None);
    item.id = `${node.uri}#${node.result.bucket}/${node.result.key}`;
    if (node.result.state === 'delivered') {
      item.command = { title: 'Fetch Delivered Result', command: CommandIds.fetchDeliveredResult, arguments: [node] };
    }
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
