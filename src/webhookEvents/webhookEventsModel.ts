import * as vscode from 'vscode';
import type { EventHistory } from '../core/listener/eventHistory';
import type { WebhookEvent } from '../core/listener/webhookEvent';

/**
 * The Webhook Events view's model: the listener's history, newest first.
 * Changes arrive at the rate events do, so `onDidChange` is coalesced to at
 * most one notification per 200 ms.
 */
export class WebhookEventsModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private timer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;

  constructor(private readonly history: EventHistory) {
    this.unsubscribe = history.onChange(() => this.schedule());
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.changed.fire();
    }, 200);
  }

  /** Events, newest first. */
  events(): WebhookEvent[] {
    return [...this.history.all()].reverse();
  }

  get size(): number {
    return this.history.size;
  }

  get(id: string): WebhookEvent | undefined {
    return this.history.get(id);
  }

  delete(id: string): Promise<boolean> {
    return this.history.delete(id);
  }

  clear(): Promise<void> {
    return this.history.clear();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.unsubscribe();
    this.changed.dispose();
  }
}
