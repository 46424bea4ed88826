import * as vscode from 'vscode';
import type { WebhookEvent, WebhookEventKind } from '../core/listener/webhookEvent';
import { redactUrl } from '../core/redact';
import { CommandIds } from '../commandIds';
import { deliveryContextFlags, deliveryTooltip, eventDescription } from './deliveryPresentation';
import type { WebhookEventsModel } from './webhookEventsModel';

const kindIcons: Record<WebhookEventKind, string> = {
  vkConfirmation: 'key',
  snsSubscriptionConfirmation: 'verified',
  snsNotification: 'bell',
  snsUnsubscribeConfirmation: 'bell-slash',
  s3Records: 'database',
  klavi: 'symbol-event',
  unknown: 'question',
  malformed: 'warning',
  file: 'file-binary',
  tooLarge: 'circle-slash',
};

/** The kinds in the user's words. */
export const kindWords: Record<WebhookEventKind, string> = {
  vkConfirmation: 'Bucket webhook confirmation (VK Cloud / LinxCloud / Hotbox)',
  snsSubscriptionConfirmation: 'AWS SNS subscription confirmation',
  snsNotification: 'AWS SNS notification',
  snsUnsubscribeConfirmation: 'AWS SNS unsubscribe confirmation',
  s3Records: 'S3 bucket notification',
  klavi: 'Klavi-style event',
  unknown: 'Unrecognised request',
  malformed: 'Malformed JSON',
  file: 'Received file',
  tooLarge: 'Body over the size limit',
};

/** The path and query with presigned-URL signatures hidden. */
export function displayPath(event: WebhookEvent): string {
  if (!event.query) {
    return event.path;
  }
  const redacted = redactUrl(`http://listener${event.path}?${event.query}`);
  return redacted.slice('http://listener'.length);
}

function iconFor(event: WebhookEvent): vscode.ThemeIcon {
  const failed =
    event.status >= 400 ||
    (event.sns !== undefined && !event.sns.verified) ||
    (event.forward !== undefined && (event.forward.status === undefined || event.forward.status >= 400)) ||
    event.appConfirmation?.correct === false;
  const color = failed ? new vscode.ThemeColor('errorForeground') : event.duplicateOf ? new vscode.ThemeColor('disabledForeground') : undefined;
  return new vscode.ThemeIcon(kindIcons[event.kind] ?? 'question', color);
}

/** Flags menus match on (`viewItem =~ /\bhasFileReference\b/`). */
export function contextValueFor(event: WebhookEvent): string {
  const flags = ['webhookEvent', `kind-${event.kind}`];
  if ((event.fileReferences ?? 0) > 0) {
    flags.push('hasFileReference');
  }
  if (event.kind === 'snsSubscriptionConfirmation' && event.sns?.verified && !event.sns.subscription?.confirmedAt) {
    flags.push('snsConfirmable');
  }
  if (event.body.file) {
    flags.push('receivedFile');
  }
  if (!event.body.dropped) {
    flags.push('replayable');
  }
  flags.push(...deliveryContextFlags(event));
  return flags.join(' ');
}

function tooltipFor(event: WebhookEvent): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  const code = (text: string): string => '`' + text.replace(/`/g, "'") + '`';
  md.appendMarkdown(`**${kindWords[event.kind]}**: ${event.label.replace(/[*_`[\]]/g, '')}\n\n`);
  md.appendMarkdown(`${code(`${event.method} ${displayPath(event)}`)}\n\n`);
  md.appendMarkdown(`Received ${new Date(event.receivedAt).toLocaleString()} · answered **${event.status}**`);
  if (event.answer) {
    md.appendMarkdown(` ${code(event.answer.length > 120 ? `${event.answer.slice(0, 120)}…` : event.answer)}`);
  }
  md.appendMarkdown('\n\n');
  if (event.signedUrl) {
    md.appendMarkdown(`Signature computed over ${code(redactUrl(event.signedUrl))}\n\n`);
  }
  if (event.sns) {
    md.appendMarkdown(event.sns.verified ? 'SNS signature verified\n\n' : `SNS signature **not** verified: ${event.sns.reason ?? ''}\n\n`);
    const sub = event.sns.subscription;
    if (sub?.confirmedAt) {
      md.appendMarkdown(`Subscription confirmed ${new Date(sub.confirmedAt).toLocaleString()}\n\n`);
    } else if (sub?.error) {
      md.appendMarkdown(`Subscription not confirmed: ${sub.error}\n\n`);
    }
  }
  if (event.body.file) {
    md.appendMarkdown(`Body saved to ${code(event.body.file)} (${event.body.size} bytes)\n\n`);
  } else {
    md.appendMarkdown(`Body: ${event.body.size} bytes${event.body.dropped ? ' (not kept)' : ''}\n\n`);
  }
  if (event.fileReferences) {
    md.appendMarkdown(`Points at ${event.fileReferences} file${event.fileReferences === 1 ? '' : 's'}: use **Fetch File**\n\n`);
  }
  if (event.duplicateOf) {
    md.appendMarkdown(`Redelivery: the same event as ${code(event.duplicateOf)} (kept anyway)\n\n`);
  }
  if (event.error) {
    md.appendMarkdown(`$(error) ${event.error}\n\n`);
  }
  for (const warning of event.warnings ?? []) {
    md.appendMarkdown(`$(warning) ${warning}\n\n`);
  }
  for (const line of deliveryTooltip(event)) {
    md.appendMarkdown(`${line}\n\n`);
  }
  return md;
}

/** Maps the model's events to tree items: newest first, icon per kind, time · path · status. */
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
    const item = new vscode.TreeItem(event.duplicateOf ? `${event.label} (duplicate)` : event.label, vscode.TreeItemCollapsibleState.None);
    item.id = event.id;
    item.description = eventDescription(event, new Date(event.receivedAt).toLocaleTimeString(), displayPath(event));
    item.iconPath = iconFor(event);
    item.tooltip = tooltipFor(event);
    item.contextValue = contextValueFor(event);
    item.command = { command: CommandIds.openWebhookEvent, title: 'Open Event', arguments: [event] };
    item.accessibilityInformation = {
      label: `${kindWords[event.kind]}, ${event.label}, ${event.method} ${displayPath(event)}, answered ${event.status}`,
    };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
