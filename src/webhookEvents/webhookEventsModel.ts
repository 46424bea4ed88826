import * as vscode from 'vscode';
import type { EventHistory } from '../core/listener/eventHistory';
import { eventFilterPredicate, isEmptyFilter, type EventFilter } from '../core/listener/eventFilter';
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

  private activeFilter: EventFilter | undefined;
  private predicate: ((event: WebhookEvent) => boolean) | undefined;

  /** The filter the view shows events through; undefined = all of them. */
  get filter(): EventFilter | undefined {
    return this.activeFilter;
  }

  setFilter(filter: EventFilter | undefined): void {
    this.activeFilter = isEmptyFilter(filter) ? undefined : filter;
    this.predicate = this.activeFilter ? eventFilterPredicate(this.activeFilter) : undefined;
    this.changed.fire();
  }

  /** Events that pass the filter, newest first. */
  events(): WebhookEvent[] {
    const all = this.allEvents();
    return this.predicate ? all.filter(this.predicate) : all;
  }

  /** Every event, newest first, whatever the filter. */
  allEvents(): WebhookEvent[] {
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
