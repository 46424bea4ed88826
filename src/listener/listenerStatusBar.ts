import * as vscode from 'vscode';
import { toMarkdownString } from '../ui/present';
import { statusBarView } from './listenerPresentation';
import type { ListenerStatus } from './listenerStatus';

/**
 * The listener's status bar item: applies what {@link statusBarView} decides
 * for each status (text, tooltip, click, colour).
 */
export class ListenerStatusBarItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem('s3Hooks.webhookListener', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'S3 Hooks Webhook Listener';
  }

  update(status: ListenerStatus): void {
    const view = statusBarView(status);
    const item = this.item;
    item.text = view.text;
    if (typeof view.tooltip === 'string') {
      item.tooltip = view.tooltip;
    } else {
      const tooltip = toMarkdownString(view.tooltip.parts);
      tooltip.isTrusted = { enabledCommands: view.tooltip.trustedCommands };
      item.tooltip = tooltip;
    }
    item.command = view.command;
    item.backgroundColor = view.errorBackground ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    item.accessibilityInformation = view.accessibility;
  }

  show(visible: boolean): void {
    if (visible) {
      this.item.show();
    } else {
      this.item.hide();
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}
