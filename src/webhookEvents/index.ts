import * as vscode from 'vscode';
import { CommandIds, ViewIds } from '../commandIds';
import { listenerDefaults } from '../core/defaults';
import { fixtureProblem, saveEventAsFixture } from '../core/listener/fixture';
import { curlCommand, listenerReplayTarget, replayAnswerText, replayEvent, type ReplayResult } from '../core/listener/replay';
import { eventFileReferences, type WebhookEvent } from '../core/listener/webhookEvent';
import { redactUrl } from '../core/redact';
import type { EventFileFetcher, ReceivedEvents } from '../services';
import { readSetting, SettingKeys } from '../settings';
import { runGuarded } from '../ui/runGuarded';
import { registerAutoFetch } from './autoFetch';
import { EventDocumentProvider, eventDocumentScheme, fetchSourceFor } from './eventDocumentProvider';
import { formatEventFilter } from '../core/listener/eventFilter';
import { appReplayTarget, registerHandlerEventCommands } from './handlerEventCommands';
import { WebhookEventsModel } from './webhookEventsModel';
import { WebhookEventsProvider } from './webhookEventsProvider';

/** What a tree item command receives: the item's event, or (automation, tests) `{ id }` or an id. */
export type EventArg = WebhookEvent | { id: string } | string | undefined;

const lastReplayTargetKey = 's3Hooks.webhookEvents.lastReplayTarget';
const lastFixtureFolderKey = 's3Hooks.webhookEvents.lastFixtureFolder';

/**
 * The Webhook Events view: model (the listener's history), provider, and the
 * tree item commands (Open, Fetch File, Replay, Copy as curl, Save as Fixture,
 * Confirm SNS Subscription, Delete), the view's Clear, and auto-fetch.
 */
export function registerWebhookEventsView(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  listener: ReceivedEvents,
  fetchFiles: EventFileFetcher,
): WebhookEventsModel {
  const model = new WebhookEventsModel(listener.history);
  const provider = new WebhookEventsProvider(model);
  const documents = new EventDocumentProvider(model);
  const view = vscode.window.createTreeView(ViewIds.webhookEvents, { treeDataProvider: provider, showCollapseAll: false });
  const updateMessage = (): void => {
    // Empty history: the welcome content (viewsWelcome) shows instead of a message.
    const filter = model.filter;
    if (filter) {
      const shown = model.events().length;
      view.description = `filter: ${formatEventFilter(filter)} · ${shown} of ${model.size}`;
      view.message = shown === 0 && model.size > 0 ? 'No event matches the filter (Clear Webhook Events Filter shows all).' : undefined;
      return;
    }
    view.message = undefined;
    view.description = model.size > 0 ? `${model.size}` : undefined;
  };
  context.subscriptions.push(model, provider, documents, view, model.onDidChange(updateMessage), registerAutoFetch(listener, fetchFiles, log));
  void listener.ready.then(updateMessage);

  const resolve = (arg: EventArg): WebhookEvent => {
    const id = typeof arg === 'string' ? arg : arg?.id;
    const event = id !== undefined ? model.get(id) : view.selection[0];
    if (!event) {
      throw new Error('That event is no longer in the history.');
    }
    return event;
  };

  const guarded = <A extends unknown[], R>(name: string, body: (...args: A) => Promise<R>) => runGuarded(name, log, body);

  const defaultTarget = (event: WebhookEvent): string =>
    listenerReplayTarget(event, listener.current.localUrl ?? `http://127.0.0.1:${readSetting<number>(SettingKeys.listenerPort) ?? listenerDefaults.port}/`);

  registerHandlerEventCommands(context, {
    model,
    history: listener.history,
    log,
    resolve: (arg) => resolve(arg as EventArg),
    guarded,
    filterChanged: () => {
      void vscode.commands.executeCommand('setContext', 's3Hooks.webhookEventsFiltered', model.filter !== undefined);
      updateMessage();
    },
  });

  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(eventDocumentScheme, documents),

    vscode.commands.registerCommand(
      CommandIds.openWebhookEvent,
      guarded('Open Event', async (arg: EventArg) => {
        const event = resolve(arg);
        const doc = await vscode.workspace.openTextDocument(EventDocumentProvider.uriFor(event));
        await vscode.languages.setTextDocumentLanguage(doc, 'json');
        await vscode.window.showTextDocument(doc, { preview: true });
        return doc.uri.toString();
      }),
    ),

    vscode.commands.registerCommand(
      CommandIds.openReceivedFile,
      guarded('Open Received File', async (arg: EventArg) => {
        const event = resolve(arg);
        if (!event.body.file) {
          throw new Error('This event has no received file: its body is in the event itself (Open Event).');
        }
        await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(event.body.file));
      }),
    ),

    vscode.commands.registerCommand(
      CommandIds.fetchWebhookEventFile,
      guarded('Fetch File', async (arg: EventArg) => {
        const event = resolve(arg);
        if (eventFileReferences(event).length === 0) {
          throw new Error('This event points at no file (no presigned URL, no S3 object).');
        }
        await fetchFiles.fetchAll(event.body.text!, fetchSourceFor(event));
        void vscode.window.showInformationMessage(`Fetched what "${event.label}" points at.`, 'Show Downloads').then((choice) => {
          if (choice) {
            void vscode.commands.executeCommand(`${ViewIds.recentDownloads}.focus`);
          }
        });
      }),
    ),

    vscode.commands.registerCommand(
      CommandIds.replayWebhookEvent,
      guarded('Replay Event', async (arg: EventArg, options?: { target?: string }): Promise<ReplayResult | undefined> => {
        const event = resolve(arg);
        let target = options?.target;
        if (!target) {
          const listenerTarget = defaultTarget(event);
          const last = context.workspaceState.get<string>(lastReplayTargetKey);
          const items: (vscode.QuickPickItem & { target?: string })[] = [
            { label: '$(radio-tower) The listener', description: listenerTarget, target: listenerTarget },
            ...appReplayTarget(event),
            ...(last && last !== listenerTarget ? [{ label: '$(history) Last handler', description: redactUrl(last), target: last }] : []),
            { label: '$(link) Another URL…', description: 'your webhook handler under development' },
          ];
          const pick = await vscode.window.showQuickPick(items, { title: `Replay "${event.label}" to…` });
          if (!pick) {
            return undefined;
          }
          target =
            pick.target ??
            (await vscode.window.showInputBox({
              title: 'Replay to URL',
              prompt: 'The same method, headers and body are sent to this URL.',
              value: last ?? 'http://127.0.0.1:3000/webhook',
              validateInput: (v) => (/^https?:\/\/\S+$/i.test(v.trim()) ? undefined : 'An http(s) URL'),
            }));
          if (!target) {
            return undefined;
          }
          if (pick.target === undefined || pick.target === last) {
            await context.workspaceState.update(lastReplayTargetKey, target.trim());
          }
        }
        const result = await replayEvent(event, target.trim());
        log.info(`Replayed event ${event.id} to ${redactUrl(target)}: ${result.status} in ${result.durationMs.toFixed(0)} ms`);
        const answerText = replayAnswerText(event, redactUrl(target), result);
        const uri = documents.addAnswer(answerText);
        if (!options?.target) {
          void vscode.window
            .showInformationMessage(`Replay of "${event.label}": HTTP ${result.status} in ${result.durationMs.toFixed(0)} ms.`, 'Show Answer')
            .then(async (choice) => {
              if (choice) {
                await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
              }
            });
        }
        return result;
      }),
    ),

    vscode.commands.registerCommand(
      CommandIds.copyWebhookEventAsCurl,
      guarded('Copy as curl', async (arg: EventArg, options?: { target?: string }) => {
        const event = resolve(arg);
        const command = curlCommand(event, options?.target ?? defaultTarget(event));
        await vscode.env.clipboard.writeText(command);
        void vscode.window.showInformationMessage('curl command copied.');
        return command;
      }),
    ),

    vscode.commands.registerCommand(
      CommandIds.saveWebhookEventAsFixture,
      guarded('Save as Fixture', async (arg: EventArg, options?: { folder?: string }) => {
        const event = resolve(arg);
        const problem = fixtureProblem(event);
        if (problem) {
          throw new Error(problem);
        }
        let folder = options?.folder;
        if (!folder) {
          const last = context.workspaceState.get<string>(lastFixtureFolderKey);
          const picked = await vscode.window.showOpenDialog({
            canSelectFolders: true,
            canSelectFiles: false,
            canSelectMany: false,
            openLabel: 'Save Fixture Here',
            defaultUri: last ? vscode.Uri.file(last) : vscode.workspace.workspaceFolders?.[0]?.uri,
          });
          if (!picked?.[0]) {
            return undefined;
          }
          folder = picked[0].fsPath;
          await context.workspaceState.update(lastFixtureFolderKey, folder);
        }
        const target = await saveEventAsFixture(event, folder);
        log.info(`Saved event ${event.id} as ${target}`);
        if (!options?.folder) {
          await vscode.window.showTextDocument(vscode.Uri.file(target), { preview: true });
        }
        return target;
      }),
    ),

    vscode.commands.registerCommand(
      CommandIds.confirmSnsSubscription,
      guarded('Confirm SNS Subscription', async (arg: EventArg) => {
        const event = resolve(arg);
        const result = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: 'Confirming the SNS subscription…' },
          () => listener.confirmSubscription(event.id),
        );
        void vscode.window.showInformationMessage(`SNS subscription confirmed${result.subscriptionArn ? `: ${result.subscriptionArn}` : ''}.`);
        return result;
      }),
    ),

    vscode.commands.registerCommand(
      CommandIds.deleteWebhookEvent,
      guarded('Delete Event', async (arg: EventArg) => {
        const event = resolve(arg);
        return model.delete(event.id);
      }),
    ),

    vscode.commands.registerCommand(
      CommandIds.clearWebhookEvents,
      guarded('Clear Webhook Events', async (options?: { confirm?: boolean }) => {
        if (model.size === 0) {
          return true;
        }
        if (options?.confirm !== false) {
          const choice = await vscode.window.showWarningMessage(
            `Remove all ${model.size} webhook events from the history?`,
            { modal: true, detail: 'Received files stay in their folder.' },
            'Clear',
          );
          if (choice !== 'Clear') {
            return false;
          }
        }
        await model.clear();
        return true;
      }),
    ),
  );
  return model;
}
