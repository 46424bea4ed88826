import * as vscode from 'vscode';
import { CommandIds } from '../commandIds';
import { themeIcon, toMarkdownString } from '../ui/present';
import type { DownloadEntry, RecentDownloads } from './recentDownloadsModel';
import { downloadItemView } from './recentDownloadsPresentation';

export { contextValueFor, describeEntry, progressText } from './recentDownloadsPresentation';

/** Maps the Recent Downloads model to tree items, newest first (what they show: recentDownloadsPresentation.ts). */
export class RecentDownloadsProvider implements vscode.TreeDataProvider<DownloadEntry>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<DownloadEntry | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly model: RecentDownloads) {
    this.subscription = model.onDidChange((entry) => this.changed.fire(entry));
  }

  getChildren(element?: DownloadEntry): DownloadEntry[] {
    return element ? [] : [...this.model.list()];
  }

  getTreeItem(entry: DownloadEntry): vscode.TreeItem {
    const view = downloadItemView(entry);
    const item = new vscode.TreeItem(view.label, vscode.TreeItemCollapsibleState.None);
    item.id = entry.id;
    item.iconPath = themeIcon(view.icon);
    item.description = view.description;
    item.tooltip = toMarkdownString(view.tooltip);
    item.contextValue = view.contextValue;
    if (view.openPath) {
      item.resourceUri = vscode.Uri.file(view.openPath);
      item.command = { command: CommandIds.openDownload, title: 'Open', arguments: [entry] };
    }
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
