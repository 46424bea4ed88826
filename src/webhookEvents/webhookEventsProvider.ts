import * as vscode from 'vscode';
import { CommandIds } from '../commandIds';
import type { WebhookEvent } from '../core/listener/webhookEvent';
import { themeIcon } from '../ui/present';
import type { WebhookEventsModel } from './webhookEventsModel';
import { eventItemView } from './webhookEventsPresentation';

export { contextValueFor, displayPath, kindWords } from './webhookEventsPresentation';

/** Maps the model's events to tree items, newest first (what they show: webhookEventsPresentation.ts). */
export class WebhookEventsProvider implements vscode.TreeDataProvider<WebhookEvent>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly model: WebhookEventsModel) {
    this.subscription = model.onDidChange(() => this.changed.fire());
  }

  getChildren(element?: WebhookEvent): WebhookEvent[] {
    return element ? [] : this.model.events();
  }

  getTreeItem(event: WebhookEvent): vscode.TreeItem {
    const view = eventItemView(event);
    const item = new vscode.TreeItem(view.label, vscode.TreeItemCollapsibleState.None);
    item.id = event.id;
    item.description = view.description;
    item.iconPath = themeIcon(view.icon);
    item.tooltip = new vscode.MarkdownString(view.tooltipMarkdown, true);
    item.contextValue = view.contextValue;
    item.command = { command: CommandIds.openWebhookEvent, title: 'Open Event', arguments: [event] };
    item.accessibilityInformation = { label: view.accessibilityLabel };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
