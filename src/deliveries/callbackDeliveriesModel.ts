import * as vscode from 'vscode';
import type { DeliveryResult, DeliveryTarget } from '../core/deliveries/deliveries';

/** workspaceState key of the tracked callback documents (plain JSON, newest first). */
export const callbackDeliveriesStateKey = 's3Hooks.callbackDeliveries.v1';

/** How many documents are kept: the oldest are dropped past this. */
export const maxTrackedDocuments = 20;

/** One tracked callback document: what it asks for and what the last check found. No presigned URL is kept. */
export interface TrackedDocument {
  /** The document's URI (a file, or an untitled document while it is open). */
  uri: string;
  /** The file name, for the tree. */
  name: string;
  addedAt: string;
  targets: DeliveryTarget[];
  /** The last results, in the targets' order. */
  results: DeliveryResult[];
}

function isTracked(value: unknown): value is TrackedDocument {
  const v = value as TrackedDocument;
  return !!v && typeof v.uri === 'string' && typeof v.name === 'string' && Array.isArray(v.targets) && Array.isArray(v.results);
}

/**
 * The tracked documents and their results, persisted in workspaceState across
 * reloads, capped at {@link maxTrackedDocuments}. Fires `onDidChange` on every change.
 */
export class CallbackDeliveriesModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private documents: TrackedDocument[];
  /** URIs being watched now (not persisted: a reload stops watching). */
  private readonly watching = new Set<string>();

  constructor(private readonly state: vscode.Memento) {
    const stored = state.get<unknown>(callbackDeliveriesStateKey);
    this.documents = Array.isArray(stored) ? stored.filter(isTracked) : [];
  }

  list(): readonly TrackedDocument[] {
    return this.documents;
  }

  get(uri: string): TrackedDocument | undefined {
    return this.documents.find((d) => d.uri === uri);
  }

  isWatching(uri: string): boolean {
    return this.watching.has(uri);
  }

  setWatching(uri: string, watching: boolean): void {
    if (watching) {
      this.watching.add(uri);
    } else {
      this.watching.delete(uri);
    }
    this.changed.fire();
  }

  /** Adds (or replaces) a document's targets, keeping results for targets that stay. */
  async track(uri: string, name: string, targets: DeliveryTarget[]): Promise<TrackedDocument> {
    const previous = this.get(uri);
    const results = previous ? previous.results.filter((r) => targets.some((t) => t.bucket === r.bucket && t.key === r.key)) : [];
    const doc: TrackedDocument = { uri, name, addedAt: previous?.addedAt ?? new Date().toISOString(), targets, results };
    this.documents = [doc, ...this.documents.filter((d) => d.uri !== uri)].slice(0, maxTrackedDocuments);
    await this.save();
    return doc;
  }

  async setResults(uri: string, results: DeliveryResult[]): Promise<void> {
    const doc = this.get(uri);
    if (doc) {
      doc.results = results;
      await this.save();
    }
  }

  async untrack(uri: string): Promise<void> {
    this.documents = this.documents.filter((d) => d.uri !== uri);
    this.watching.delete(uri);
    await this.save();
  }

  /** Documents with a target at bucket/key that is not delivered yet. */
  awaiting(bucket: string, key: string): TrackedDocument[] {
    return this.documents.filter((d) =>
      d.targets.some((t) => t.bucket === bucket && t.key === key) && !d.results.some((r) => r.bucket === bucket && r.key === key && r.state === 'delivered'),
    );
  }

  private async save(): Promise<void> {
    await this.state.update(callbackDeliveriesStateKey, this.documents);
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
