/* eslint-disable @typescript-eslint/no-require-imports -- the listener's server and SNS confirmation load at first use (their own bundles), not at start-up */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EventHistory } from '../core/listener/eventHistory';
import type { WebhookEvent } from '../core/listener/webhookEvent';
import { listenerDefaults, listenerMaxBodyMegabytes } from '../core/defaults';
import type { WebhookListener } from '../core/listener/webhookListener';
import { redactUrlsInText } from '../core/redact';
import { readSetting, SettingKeys } from '../settings';
import { startTunnel, type RunningTunnel } from '../core/tunnel';
import { deliveryFromSettings, tunnelFromSettings, type DeliveryOverrides, type TunnelOverrides } from './handlerTesting';
import { ListenerState, type ListenerStatus } from './listenerStatus';
import { errorText } from '../core/errorText';

/** Overrides for one start (tests, automation); settings apply otherwise. */
export interface StartOptions extends DeliveryOverrides {
  host?: string;
  port?: number;
  publicUrl?: string;
}

/** Where the history lives: the setting's folder, else the extension's storage for this workspace. */
export function historyFolderFor(context: vscode.ExtensionContext): string {
  const configured = readSetting<string>(SettingKeys.listenerHistoryFolder)?.trim();
  if (configured) {
    return configured;
  }
  return join((context.storageUri ?? context.globalStorageUri).fsPath, 'webhook-events');
}

/**
 * The webhook listener as VS Code runs it: settings in, state out. Owns the
 * event history (which outlives a listener: events stay visible after Stop)
 * and at most one core {@link WebhookListener}.
 */
export class WebhookListenerService implements vscode.Disposable {
  readonly history: EventHistory;
  readonly historyFolder: string;
  /** Resolves once the history was read from disk. */
  readonly ready: Promise<void>;
  private listener: WebhookListener | undefined;
  private status: ListenerStatus = { state: ListenerState.Off, count: 0 };
  private readonly changed = new vscode.EventEmitter<ListenerStatus>();
  private readonly eventReceived = new vscode.EventEmitter<WebhookEvent>();
  /** Fires whenever the state, count or URLs change. */
  readonly onDidChangeStatus = this.changed.event;
  /** Fires for each event stored (and answered) by the listener. */
  readonly onDidReceiveEvent = this.eventReceived.event;
  private starting: Promise<string | undefined> | undefined;

  private tunnel: RunningTunnel | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.historyFolder = historyFolderFor(context);
    const cap = readSetting<number>(SettingKeys.listenerHistoryCap) ?? listenerDefaults.historyCap;
    this.history = new EventHistory({ file: join(this.historyFolder, 'events.jsonl'), cap });
    this.ready = this.history.load().then(
      ({ loaded, skipped }) => {
        this.log.info(`Webhook events: ${loaded} loaded from ${this.history.file}`);
        for (const s of skipped) {
          this.log.warn(`Webhook events: ${s.file} line ${s.line} skipped: ${s.reason}`);
        }
      },
      (err: unknown) => {
        this.log.error(`Webhook events: cannot read ${this.history.file}: ${errorText(err)}`);
      },
    );
  }

  /** The current status (a copy). */
  get current(): ListenerStatus {
    return { ...this.status };
  }

  get running(): boolean {
    return this.status.state === ListenerState.Listening;
  }

  private update(patch: Partial<ListenerStatus>): void {
    const wasRunning = this.status.state === ListenerState.Listening;
    this.status = { ...this.status, ...patch };
    const running = this.status.state === ListenerState.Listening;
    if ((running !== wasRunning || patch.state !== undefined) && !this.disposed) {
      vscode.commands.executeCommand('setContext', 's3Hooks.listenerRunning', running).then(undefined, () => undefined);
    }
    this.changed.fire(this.current);
  }

  private countTimer: NodeJS.Timeout | undefined;

  /** Event counts change at the rate events arrive: the status is told at most four times a second. */
  private countChanged(count: number, lastEventAt: string): void {
    this.status = { ...this.status, count, lastEventAt };
    this.countTimer ??= setTimeout(() => {
      this.countTimer = undefined;
      this.changed.fire(this.current);
    }, 250);
  }

  /**
   * Starts the listener with the settings (and any overrides); resolves to the
   * local URL, or undefined when it could not start (the state is then Error
   * with a message that says what to do).
   */
  start(options: StartOptions = {}): Promise<string | undefined> {
    if (this.listener?.listening) {
      return Promise.resolve(this.status.localUrl);
    }
    this.starting ??= this.doStart(options).finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async doStart(options: StartOptions): Promise<string | undefined> {
    await this.ready;
    const host = options.host ?? readSetting<string>(SettingKeys.listenerHost) ?? listenerDefaults.host;
    const port = options.port ?? readSetting<number>(SettingKeys.listenerPort) ?? listenerDefaults.port;
    const publicUrl = (options.publicUrl ?? readSetting<string>(SettingKeys.listenerPublicUrl) ?? '').trim() || undefined;
    const maxBodyMb = readSetting<number>(SettingKeys.listenerMaxBodyMegabytes) ?? listenerMaxBodyMegabytes;
    this.update({ state: ListenerState.Starting, error: undefined, count: 0, lastEventAt: undefined });
    let delivery: Awaited<ReturnType<typeof deliveryFromSettings>>;
    try {
      delivery = await deliveryFromSettings(this.context.secrets, options, this.log);
    } catch (err) {
      this.update({ state: ListenerState.Error, error: (err as Error).message });
      return undefined;
    }
    const { WebhookListener, ListenerStartError } = require('../core/listener/webhookListener') as typeof import('../core/listener/webhookListener');
    const listener = new WebhookListener({
      delivery,
      host,
      port,
      publicUrl,
      bodyLimit: Math.max(1, Math.round(maxBodyMb * 1024 * 1024)),
      answerStatus: readSetting<number>(SettingKeys.listenerAnswerStatus) ?? listenerDefaults.answerStatus,
      snsAutoConfirm: readSetting<boolean>(SettingKeys.listenerSnsAutoConfirm) ?? listenerDefaults.snsAutoConfirm,
      receivedDir: join(this.historyFolder, 'received'),
      history: this.history,
      log: (level, message) => this.log[level](redactUrlsInText(message)),
    });
    listener.onEvent((event) => {
      this.countChanged(listener.received, event.receivedAt);
      this.eventReceived.fire(event);
    });
    let localUrl: string;
    try {
      localUrl = await listener.start();
    } catch (err) {
      const message =
        err instanceof ListenerStartError && err.code === 'EADDRINUSE'
          ? `${err.message.replace('choose another port', 'set "s3Hooks.listener.port" to another port')}`
          : err instanceof Error
            ? err.message
            : String(err);
      this.log.error(`Webhook listener: ${message}`);
      this.update({ state: ListenerState.Error, error: message, localUrl: undefined, externalUrl: undefined });
      return undefined;
    }
    this.listener = listener;
    let externalUrl = localUrl;
    try {
      externalUrl = (await vscode.env.asExternalUri(vscode.Uri.parse(localUrl))).toString(true);
    } catch {
      // Not available (no remote): the local URL is the external one.
    }
    this.update({
      state: ListenerState.Listening,
      localUrl,
      externalUrl,
      publicUrl,
      count: 0,
      forwardTo: delivery?.forwardTo,
      answerMode: delivery?.forwardTo ? delivery.answerMode : undefined,
      remoteName: vscode.env.remoteName,
    });
    return localUrl;
  }

  /**
   * Starts a public tunnel to the listener (starting the listener first) and
   * makes its URL the one confirmations are signed over. Resolves to the
   * public URL; rejects with what to do (program missing, no authtoken…).
   */
  async startTunnel(overrides: TunnelOverrides = {}): Promise<string> {
    if (this.tunnel) {
      return this.tunnel.publicUrl;
    }
    const { spec, programPath } = tunnelFromSettings(overrides);
    if (!(await this.start())) {
      throw new Error(this.status.error ?? 'The webhook listener could not start.');
    }
    const port = this.listener?.port ?? 0;
    const tunnel = await startTunnel({ spec, port, programPath, output: (line) => this.log.info(`tunnel: ${redactUrlsInText(line)}`) });
    if (!this.listener || this.listener.port !== port || port === 0) {
      await tunnel.stop();
      throw new Error('The webhook listener stopped while the tunnel was starting.');
    }
    this.tunnel = tunnel;
    this.listener.publicUrl = tunnel.publicUrl;
    tunnel.onExit((code) => {
      const message = `The public tunnel (${tunnel.label}) stopped (exit code ${String(code)}). The listener keeps running locally.`;
      this.log.warn(message);
      void vscode.window.showWarningMessage(message, 'Show Log').then((c) => c && this.log.show());
      this.tunnelGone(tunnel);
    });
    void vscode.commands.executeCommand('setContext', 's3Hooks.tunnelRunning', true);
    this.update({ tunnelUrl: tunnel.publicUrl, tunnelLabel: tunnel.label, publicUrl: tunnel.publicUrl });
    return tunnel.publicUrl;
  }

  /** Stops the public tunnel; confirmations are signed over the public URL setting again. */
  async stopTunnel(): Promise<void> {
    const tunnel = this.tunnel;
    this.tunnelGone(tunnel);
    await tunnel?.stop();
  }

  private tunnelGone(tunnel: RunningTunnel | undefined): void {
    if (!tunnel || this.tunnel !== tunnel) {
      return;
    }
    this.tunnel = undefined;
    const setting = (readSetting<string>(SettingKeys.listenerPublicUrl) ?? '').trim() || undefined;
    if (this.listener) {
      this.listener.publicUrl = setting;
    }
    if (!this.disposed) {
      void vscode.commands.executeCommand('setContext', 's3Hooks.tunnelRunning', false);
    }
    this.update({ tunnelUrl: undefined, tunnelLabel: undefined, publicUrl: this.listener ? setting : undefined });
  }

  /** Stops the listener (requests in progress are finished and stored first). */
  async stop(): Promise<void> {
    await this.starting;
    await this.stopTunnel();
    const listener = this.listener;
    this.listener = undefined;
    if (listener) {
      await listener.stop();
    }
    this.update({ state: ListenerState.Off, localUrl: undefined, externalUrl: undefined, error: undefined });
  }

  /** Confirms an SNS subscription from a stored SubscriptionConfirmation (the user asked); the listener may be stopped. */
  confirmSubscription(eventId: string): Promise<{ subscriptionArn?: string }> {
    const { confirmStoredSubscription } = require('../core/sns/subscription') as typeof import('../core/sns/subscription');
    return confirmStoredSubscription(this.history, eventId, { log: (level, message) => this.log[level](redactUrlsInText(message)) });
  }

  /** Stops the listener and closes the history; what `deactivate` waits for. */
  async close(): Promise<void> {
    await this.stop();
    await this.history.close();
  }

  private disposed = false;

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.countTimer);
    void this.close();
    this.changed.dispose();
    this.eventReceived.dispose();
  }
}
