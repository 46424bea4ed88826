import * as vscode from 'vscode';
import { CommandIds } from '../commandIds';
import { handlerTestingLines } from './listenerPresentation';
import { ListenerState, type ListenerStatus } from './webhookListenerService';

function portOf(url: string | undefined): string {
  if (!url) {
    return '';
  }
  try {
    return new URL(url).port;
  } catch {
    return '';
  }
}

function timeOf(iso: string | undefined): string {
  return iso ? new Date(iso).toLocaleTimeString() : 'none yet';
}

/**
 * The listener's status bar item: one small class over {@link ListenerState}.
 * Off → click starts the listener; listening → click opens its actions;
 * error → click tries again (the tooltip says what went wrong).
 */
export class ListenerStatusBarItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem('s3Hooks.webhookListener', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'S3 Hooks Webhook Listener';
  }

  update(status: ListenerStatus): void {
    const item = this.item;
    item.backgroundColor = undefined;
    switch (status.state) {
      case ListenerState.Off:
        item.text = '$(radio-tower) Webhooks: off';
        item.tooltip = 'S3 Hooks webhook listener is off. Click to start it.';
        item.command = CommandIds.startWebhookListener;
        item.accessibilityInformation = { label: 'Webhook listener is off. Activate to start it.', role: 'button' };
        break;
      case ListenerState.Starting:
        item.text = '$(loading~spin) Webhooks: starting';
        item.tooltip = 'Starting the S3 Hooks webhook listener…';
        item.command = undefined;
        item.accessibilityInformation = { label: 'Webhook listener is starting' };
        break;
      case ListenerState.Listening: {
        const port = portOf(status.localUrl);
        item.text = `$(radio-tower) Listening :${port} · ${status.count}`;
        const tooltip = new vscode.MarkdownString(undefined, true);
        tooltip.appendMarkdown('**S3 Hooks webhook listener**\n\n');
        tooltip.appendMarkdown(`Local URL: \`${status.localUrl ?? ''}\`\n\n`);
        if (status.externalUrl && status.externalUrl !== status.localUrl) {
          tooltip.appendMarkdown(`External URL: \`${status.externalUrl}\`\n\n`);
        }
        tooltip.appendMarkdown(
          status.publicUrl
            ? `Confirmations signed over: \`${status.publicUrl}\`\n\n`
            : 'No public URL set: confirmations are signed over the URL each request arrives at.\n\n',
        );
        const commands = { startTunnel: CommandIds.startPublicTunnel, stopTunnel: CommandIds.stopPublicTunnel, copyPublicUrl: CommandIds.copyPublicUrl };
        tooltip.isTrusted = { enabledCommands: Object.values(commands) };
        for (const line of handlerTestingLines(status, commands)) {
          tooltip.appendMarkdown(`${line}\n\n`);
        }
        tooltip.appendMarkdown(`Events: ${status.count} · last: ${timeOf(status.lastEventAt)}\n\n`);
        tooltip.appendMarkdown('Click for actions (stop, copy URL, send a test event…).');
        item.tooltip = tooltip;
        item.command = CommandIds.showWebhookListenerMenu;
        item.accessibilityInformation = {
          label: `Webhook listener listening on port ${port}, ${status.count} events. Activate for actions.`,
          role: 'button',
        };
        break;
      }
      case ListenerState.Error:
        item.text = '$(error) Webhooks: error';
        item.tooltip = `${status.error ?? 'The webhook listener could not start.'}\n\nClick to try again.`;
        item.command = CommandIds.startWebhookListener;
        item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        item.accessibilityInformation = { label: `Webhook listener error: ${status.error ?? ''}. Activate to try again.`, role: 'button' };
        break;
    }
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
