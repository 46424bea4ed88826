import * as vscode from 'vscode';
import { CommandIds, ViewIds } from '../commandIds';
import { autoFetchSkipReason } from '../core/listener/webhookEvent';
import { listenerDefaults } from '../core/defaults';
import type { SampleEventKind } from '../core/listener/sampleEvents';
import { readSetting, SettingKeys, SettingsSection } from '../settings';
import { fetchSourceFor, registerWebhookEventsView, type EventFileFetcher } from '../webhookEvents';
import type { WebhookEventsModel } from '../webhookEvents/webhookEventsModel';
import { ListenerStatusBarItem } from './listenerStatusBar';
import { computeSignatureCommand, verifySignatureCommand, type SignatureArgs } from './signatureCommands';
import { sendTestEventCommand } from './testEventCommand';
import { ListenerState, WebhookListenerService, type StartOptions } from './webhookListenerService';

/** The listener's live services, for extension.ts and S3HooksApi. */
export interface WebhookListenerServices {
  webhookListener: WebhookListenerService;
  webhookEvents: WebhookEventsModel;
}

let active: WebhookListenerService | undefined;

/** Stops the listener and flushes the history: `deactivate` returns this promise. */
export function closeWebhookListener(): Promise<void> {
  const service = active;
  active = undefined;
  return service ? service.close() : Promise.resolve();
}

/**
 * The local webhook listener: service (settings → core listener, history),
 * status bar item, commands (Start/Stop, actions menu, Send Test Event,
 * Compute/Verify Confirmation Signature) and the Webhook Events view.
 * `fetchFiles` is the fetch feature's background fetch (Recent Downloads), for
 * Fetch File and auto-fetch.
 */
export function registerWebhookListener(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  fetchFiles?: EventFileFetcher,
): WebhookListenerServices {
  const service = new WebhookListenerService(context, log);
  active = service;
  const statusBar = new ListenerStatusBarItem();
  const showStatusBar = (): void => statusBar.show(readSetting<boolean>(SettingKeys.listenerShowStatusBarItem) ?? true);
  statusBar.update(service.current);
  showStatusBar();
  void vscode.commands.executeCommand('setContext', 's3Hooks.listenerRunning', false);

  const webhookEvents = registerWebhookEventsView(context, log, service, () => fetchFiles);

  const start = async (options?: StartOptions): Promise<string | undefined> => {
    const url = await service.start(options ?? {});
    if (!url) {
      const error = service.current.error ?? 'The webhook listener could not start.';
      void vscode.window.showErrorMessage(error, 'Change Port', 'Show Log').then((choice) => {
        if (choice === 'Change Port') {
          void vscode.commands.executeCommand('workbench.action.openSettings', `${SettingsSection}.${SettingKeys.listenerPort}`);
        } else if (choice === 'Show Log') {
          log.show();
        }
      });
    }
    return url;
  };

  const copy = async (what: string, text: string | undefined): Promise<void> => {
    if (text) {
      await vscode.env.clipboard.writeText(text);
      void vscode.window.showInformationMessage(`${what} copied: ${text}`);
    }
  };

  const sendTestEvent = async (args?: { kind?: SampleEventKind }): Promise<unknown> => {
    try {
      return await sendTestEventCommand(context, service, log, args);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log.error(`Send Test Event: ${message}`);
      void vscode.window.showErrorMessage(`The test event was not sent: ${message}`);
      return undefined;
    }
  };

  const signatureCommand =
    <R>(name: string, run: (context: vscode.ExtensionContext, args?: SignatureArgs) => Promise<R>) =>
    async (args?: SignatureArgs): Promise<R | undefined> => {
      try {
        return await run(context, args);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        log.error(`${name}: ${message}`);
        void vscode.window.showErrorMessage(message);
        return undefined;
      }
    };

  context.subscriptions.push(
    statusBar,
    service,
    service.onDidChangeStatus((status) => statusBar.update(status)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SettingsSection}.${SettingKeys.listenerShowStatusBarItem}`)) {
        showStatusBar();
      }
      // Auto-fetch and the status bar item apply at once; the others when the listener starts.
      const restartNeeded = [
        SettingKeys.listenerHost,
        SettingKeys.listenerPort,
        SettingKeys.listenerPublicUrl,
        SettingKeys.listenerMaxBodyMegabytes,
        SettingKeys.listenerAnswerStatus,
        SettingKeys.listenerSnsAutoConfirm,
      ].some((key) => e.affectsConfiguration(`${SettingsSection}.${key}`));
      if (service.running && restartNeeded) {
        void vscode.window.showInformationMessage('Webhook listener settings changed: they apply at the next start.', 'Restart Listener').then(async (choice) => {
          if (choice) {
            await service.stop();
            await start();
          }
        });
      }
    }),
    service.onDidReceiveEvent((event) => {
      if ((event.fileReferences ?? 0) === 0 || event.body.text === undefined || !fetchFiles || !readSetting<boolean>(SettingKeys.listenerAutoFetch)) {
        return;
      }
      const skip = autoFetchSkipReason(event);
      if (skip) {
        log.info(`Auto-fetch: event ${event.id} skipped: ${skip}`);
      } else {
        log.info(`Auto-fetch: event ${event.id} (${event.label}) points at ${event.fileReferences} file(s)`);
        fetchFiles.fetchAll(event.body.text, fetchSourceFor(event)).catch((err: unknown) =>
          log.error(`Auto-fetch of event ${event.id} failed: ${err instanceof Error ? err.message : String(err)}`),
        );
      }
    }),
    vscode.commands.registerCommand(CommandIds.startWebhookListener, (options?: StartOptions) => start(options)),
    vscode.commands.registerCommand(CommandIds.stopWebhookListener, () => service.stop()),
    vscode.commands.registerCommand(CommandIds.sendTestEvent, sendTestEvent),
    vscode.commands.registerCommand(CommandIds.computeConfirmationSignature, signatureCommand('Compute Confirmation Signature', computeSignatureCommand)),
    vscode.commands.registerCommand(CommandIds.verifyConfirmationSignature, signatureCommand('Verify Confirmation Signature', verifySignatureCommand)),
    vscode.commands.registerCommand(CommandIds.showWebhookListenerMenu, async () => {
      const status = service.current;
      if (status.state !== ListenerState.Listening) {
        return start();
      }
      const items: (vscode.QuickPickItem & { run: () => unknown })[] = [
        { label: '$(debug-stop) Stop', description: status.localUrl, run: () => service.stop() },
        { label: '$(copy) Copy Local URL', description: status.localUrl, run: () => copy('Local URL', status.localUrl) },
        {
          label: '$(globe) Copy External URL',
          description: status.externalUrl,
          detail: status.publicUrl ? `Public URL (setting): ${status.publicUrl}` : 'For a provider on the internet, expose the port through a tunnel (see README).',
          run: () => copy('External URL', status.externalUrl),
        },
        { label: '$(list-unordered) Show Events', description: `${status.count} since start`, run: () => vscode.commands.executeCommand(`${ViewIds.webhookEvents}.focus`) },
        { label: '$(send) Send Test Event', run: () => sendTestEvent() },
        { label: '$(output) Open Log', run: () => log.show() },
      ];
      const pick = await vscode.window.showQuickPick(items, { title: `Webhook listener on ${status.localUrl ?? ''}` });
      return pick?.run();
    }),
  );
  log.info(`Webhook listener ready (history: ${service.historyFolder}, cap ${readSetting<number>(SettingKeys.listenerHistoryCap) ?? listenerDefaults.historyCap})`);
  return { webhookListener: service, webhookEvents };
}
