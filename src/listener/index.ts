import * as vscode from 'vscode';
import { CommandIds, ViewIds } from '../commandIds';
import { listenerDefaults } from '../core/defaults';
import type { SampleEventKind } from '../core/listener/sampleEvents';
import { readSetting, SettingKeys, SettingsSection } from '../settings';
import { runGuarded } from '../ui/runGuarded';
import { registerHandlerTestingCommands, tunnelMenuItems } from './handlerTestingCommands';
import { ListenerStatusBarItem } from './listenerStatusBar';
import { computeSignatureCommand, verifySignatureCommand, type SignatureArgs } from './signatureCommands';
import { sendTestEventCommand } from './testEventCommand';
import { ListenerState } from './listenerStatus';
import { WebhookListenerService, type StartOptions } from './webhookListenerService';

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
 * Compute/Verify Confirmation Signature). Returns the service: the Webhook
 * Events view shows its history.
 */
export function registerWebhookListener(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): WebhookListenerService {
  const service = new WebhookListenerService(context, log);
  active = service;
  const statusBar = new ListenerStatusBarItem();
  const showStatusBar = (): void => statusBar.show(readSetting<boolean>(SettingKeys.listenerShowStatusBarItem) ?? true);
  statusBar.update(service.current);
  showStatusBar();
  void vscode.commands.executeCommand('setContext', 's3Hooks.listenerRunning', false);

  registerHandlerTestingCommands(context, service, log);
  void vscode.commands.executeCommand('setContext', 's3Hooks.tunnelRunning', false);

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

  const sendTestEvent = runGuarded(
    'Send Test Event',
    log,
    (args?: { kind?: SampleEventKind }) => sendTestEventCommand(context, service, log, args),
    (message) => `The test event was not sent: ${message}`,
  );
  const signatureCommand = <R>(name: string, run: (context: vscode.ExtensionContext, args?: SignatureArgs) => Promise<R>) =>
    runGuarded(name, log, (args?: SignatureArgs) => run(context, args));

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
        SettingKeys.listenerForwardTo,
        SettingKeys.listenerAnswerMode,
        SettingKeys.listenerAnswers,
        SettingKeys.listenerRejectBadSignatures,
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
    vscode.commands.registerCommand(CommandIds.startWebhookListener, (options?: StartOptions) => start(options)),
    vscode.commands.registerCommand(CommandIds.stopWebhookListener, () => service.stop()),
    vscode.commands.registerCommand(CommandIds.sendTestEvent, (args?: { kind?: SampleEventKind }) => sendTestEvent(args)),
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
        ...tunnelMenuItems(service),
        { label: '$(list-unordered) Show Events', description: `${status.count} since start`, run: () => vscode.commands.executeCommand(`${ViewIds.webhookEvents}.focus`) },
        { label: '$(send) Send Test Event', run: () => sendTestEvent() },
        { label: '$(output) Open Log', run: () => log.show() },
      ];
      const pick = await vscode.window.showQuickPick(items, { title: `Webhook listener on ${status.localUrl ?? ''}` });
      return pick?.run();
    }),
  );
  log.info(`Webhook listener ready (history: ${service.historyFolder}, cap ${readSetting<number>(SettingKeys.listenerHistoryCap) ?? listenerDefaults.historyCap})`);
  return service;
}
