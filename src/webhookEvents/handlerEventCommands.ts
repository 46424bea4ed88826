import * as vscode from 'vscode';
import { CommandIds } from '../commandIds';
import { appAnswerSummary, forwardOnce, forwardTarget, forwardToProblem, storedEventRequest, type AppAnswer } from '../core/forward';
import type { EventHistory } from '../core/listener/eventHistory';
import { eventFilterSyntax, formatEventFilter, parseEventFilter, type EventFilter } from '../core/listener/eventFilter';
import type { WebhookEvent } from '../core/listener/webhookEvent';
import { redactUrl } from '../core/redact';
import { readSetting, SettingKeys } from '../settings';
import { previousEvent } from './deliveryPresentation';
import { EventDocumentProvider } from './eventDocumentProvider';
import type { WebhookEventsModel } from './webhookEventsModel';

type Guard = <A extends unknown[], R>(name: string, body: (...args: A) => Promise<R>) => (...args: A) => Promise<R | undefined>;

/** Replay's "your app" choice, when s3Hooks.listener.forwardTo is set. */
export function appReplayTarget(event: WebhookEvent): (vscode.QuickPickItem & { target: string })[] {
  const forwardTo = (readSetting<string>(SettingKeys.listenerForwardTo) ?? '').trim();
  if (!forwardTo) {
    return [];
  }
  try {
    const target = forwardTarget(forwardTo, event.path, event.query);
    return [{ label: '$(arrow-right) Your app (s3Hooks.listener.forwardTo)', description: redactUrl(target), target }];
  } catch {
    return [];
  }
}

const lastAppTargetKey = 's3Hooks.webhookEvents.lastAppTarget';

/**
 * Forward Again, Filter / Clear Filter, Compare with Previous. Argument
 * objects for tests and keybindings: Forward Again `(event, { target })`,
 * Filter `{ query }` (or an {@link EventFilter}), Compare `(event, { with: id })`.
 */
export function registerHandlerEventCommands(
  context: vscode.ExtensionContext,
  parts: {
    model: WebhookEventsModel;
    history: EventHistory;
    log: vscode.LogOutputChannel;
    resolve: (arg: unknown) => WebhookEvent;
    guarded: Guard;
    filterChanged: () => void;
  },
): void {
  const { model, history, log, resolve, guarded } = parts;

  const appTarget = async (event: WebhookEvent, given?: string): Promise<string | undefined> => {
    const configured = given ?? (readSetting<string>(SettingKeys.listenerForwardTo) ?? '').trim();
    if (configured) {
      return given ?? forwardTarget(configured, event.path, event.query);
    }
    const typed = await vscode.window.showInputBox({
      title: 'Forward to your app',
      prompt: 'Your app\'s URL (set s3Hooks.listener.forwardTo to skip this question). The event\'s path is appended.',
      value: context.workspaceState.get<string>(lastAppTargetKey) ?? 'http://localhost:3000/webhooks',
      validateInput: (v) => forwardToProblem(v.trim()),
    });
    if (!typed) {
      return undefined;
    }
    await context.workspaceState.update(lastAppTargetKey, typed.trim());
    return forwardTarget(typed.trim(), event.path, event.query);
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(
      CommandIds.forwardWebhookEventAgain,
      guarded('Forward Again', async (arg: unknown, options?: { target?: string }): Promise<AppAnswer | undefined> => {
        const event = resolve(arg);
        const target = await appTarget(event, options?.target);
        if (!target) {
          return undefined;
        }
        const { request, omitted } = storedEventRequest(event);
        const { answer } = await forwardOnce(request, target);
        await history.update(event.id, { forward: answer });
        const note = omitted.length > 0 ? ` Not sent (redacted when stored): ${omitted.join(', ')}.` : '';
        log.info(`Forwarded ${event.id} again to ${redactUrl(target)}: ${appAnswerSummary(answer)}.${note}`);
        if (!options?.target) {
          const text = answer.status !== undefined ? `"${event.label}" → ${appAnswerSummary(answer)}.${note}` : `"${event.label}" was not delivered: ${answer.errorMessage ?? answer.error}`;
          void (answer.status !== undefined ? vscode.window.showInformationMessage(text) : vscode.window.showWarningMessage(text));
        }
        return answer;
      }),
    ),

    vscode.commands.registerCommand(
      CommandIds.filterWebhookEvents,
      guarded('Filter Webhook Events', async (args?: { query?: string } & EventFilter) => {
        let filter: EventFilter | undefined;
        if (args?.query !== undefined) {
          filter = parseEventFilter(args.query);
        } else if (args && (args.text || args.kind || args.status || args.path)) {
          filter = parseEventFilter(formatEventFilter(args));
        } else {
          const query = await vscode.window.showInputBox({
            title: 'Filter Webhook Events',
            prompt: `Show only events with: ${eventFilterSyntax}. Empty shows all.`,
            value: model.filter ? formatEventFilter(model.filter) : '',
            validateInput: (v) => {
              try {
                parseEventFilter(v);
                return undefined;
              } catch (err) {
                return (err as Error).message;
              }
            },
          });
          if (query === undefined) {
            return model.filter;
          }
          filter = parseEventFilter(query);
        }
        model.setFilter(filter);
        parts.filterChanged();
        return model.filter;
      }),
    ),

    vscode.commands.registerCommand(CommandIds.clearWebhookEventsFilter, () => {
      model.setFilter(undefined);
      parts.filterChanged();
    }),

    vscode.commands.registerCommand(
      CommandIds.compareWebhookEventWithPrevious,
      guarded('Compare with Previous', async (arg: unknown, options?: { with?: string }) => {
        const event = resolve(arg);
        const earlier = options?.with ? resolve(options.with) : previousEvent(model.allEvents(), event);
        if (!earlier) {
          throw new Error(`There is no event before "${event.label}" to compare it with.`);
        }
        const time = (e: WebhookEvent): string => new Date(e.receivedAt).toLocaleTimeString();
        const title = `${earlier.label} (${time(earlier)}) ↔ ${event.label} (${time(event)})`;
        await vscode.commands.executeCommand('vscode.diff', EventDocumentProvider.bodyUriFor(earlier), EventDocumentProvider.bodyUriFor(event), title, { preview: true });
        return { left: earlier.id, right: event.id };
      }),
    ),
  );
}
