import * as vscode from 'vscode';
import type { WebhookEvent } from '../core/listener/webhookEvent';
import type { WebhookEventsModel } from './webhookEventsModel';

/** URI scheme of the read-only documents showing an event record or a replay's answer. */
export const eventDocumentScheme = 's3hooks-event';

/**
 * The whole record as shown: the stored record, with a JSON body also given
 * parsed (`body.json`) so that it reads as JSON rather than as one escaped string.
 */
export function eventDocumentText(event: WebhookEvent): string {
  let json: unknown;
  if (event.body.text !== undefined && event.kind !== 'malformed') {
    try {
      json = JSON.parse(event.body.text);
    } catch {
      json = undefined;
    }
  }
  const shown = json === undefined ? event : { ...event, body: { ...event.body, json } };
  return `${JSON.stringify(shown, null, 2)}\n`;
}

/** An event's body as compared: pretty-printed JSON, the text, or a note for binary and file bodies. */
export function eventBodyText(event: WebhookEvent): string {
  if (event.body.text !== undefined) {
    try {
      return `${JSON.stringify(JSON.parse(event.body.text), null, 2)}\n`;
    } catch {
      return event.body.text;
    }
  }
  if (event.body.file) {
    return `(received file ${event.body.file}, ${event.body.size} bytes, SHA-256 ${event.body.sha256 ?? ''})\n`;
  }
  return event.body.base64 !== undefined ? `(binary body, ${event.body.size} bytes, base64)\n${event.body.base64}\n` : '(no body)\n';
}

/**
 * Serves `s3hooks-event:/events/<id>.json` (an event record) and
 * `s3hooks-event:/answers/<n>.txt` (what a handler answered a replay with), read-only.
 */
export class EventDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly answers = new Map<string, string>();
  private answerCount = 0;

  constructor(private readonly model: WebhookEventsModel) {}

  static uriFor(event: WebhookEvent): vscode.Uri {
    return vscode.Uri.from({ scheme: eventDocumentScheme, path: `/events/${event.id}.json` });
  }

  /** The event's body alone (JSON pretty-printed), for the diff editor. */
  static bodyUriFor(event: WebhookEvent): vscode.Uri {
    return vscode.Uri.from({ scheme: eventDocumentScheme, path: `/bodies/${event.id}.json` });
  }

  /** Keeps a replay answer (the last 20) and returns the URI that shows it. */
  addAnswer(text: string): vscode.Uri {
    const name = `answer-${++this.answerCount}.txt`;
    this.answers.set(name, text);
    if (this.answers.size > 20) {
      this.answers.delete(this.answers.keys().next().value!);
    }
    return vscode.Uri.from({ scheme: eventDocumentScheme, path: `/answers/${name}` });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const events = /^\/events\/(.+)\.json$/.exec(uri.path);
    if (events) {
      const event = this.model.get(events[1]);
      return event ? eventDocumentText(event) : `This event is no longer in the history (deleted, cleared or rotated out).\n`;
    }
    const bodies = /^\/bodies\/(.+)\.json$/.exec(uri.path);
    if (bodies) {
      const event = this.model.get(bodies[1]);
      return event ? eventBodyText(event) : `This event is no longer in the history (deleted, cleared or rotated out).\n`;
    }
    const answer = /^\/answers\/(.+)$/.exec(uri.path);
    return (answer && this.answers.get(answer[1])) ?? 'This answer is no longer kept.\n';
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** How an event is named in Recent Downloads (Open Source Event opens its record). */
export function fetchSourceFor(event: WebhookEvent): { label: string; uri: string } {
  return { label: `webhook event "${event.label}" (${new Date(event.receivedAt).toLocaleString()})`, uri: EventDocumentProvider.uriFor(event).toString() };
}
