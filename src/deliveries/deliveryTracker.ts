import * as vscode from 'vscode';
import { deliveryTargets, describeDelivery, summarizeDeliveries, type DeliveryResult } from '../core/deliveries/deliveries';
import { loadDeliveryChecker } from '../core/deliveries/loadDeliveryChecker';
import { watchDeliveries } from '../core/deliveries/watch';
import type { S3Connection } from '../core/s3/connection';
import type { CallbackDeliveriesModel, TrackedDocument } from './callbackDeliveriesModel';
import { errorText } from '../core/errorText';

/** What the tracker needs from the rest of the extension: the configured S3 connection. */
export type ConnectionFor = (scope?: vscode.Uri) => Promise<S3Connection>;

/**
 * Checks tracked documents (HEAD each bucket/key) and watches them with
 * backoff until every URL is delivered or expired, notifying per delivery.
 */
export class DeliveryTracker implements vscode.Disposable {
  private readonly watches = new Map<string, AbortController>();

  constructor(
    private readonly model: CallbackDeliveriesModel,
    private readonly connectionFor: ConnectionFor,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Tracks a document's callbacks, checks them at once, and keeps watching while any is pending. Throws RangeError without PUT URLs. */
  async track(doc: vscode.TextDocument): Promise<TrackedDocument> {
    const targets = deliveryTargets(doc.getText());
    const name = doc.uri.path.split('/').pop() || doc.uri.toString();
    const tracked = await this.model.track(doc.uri.toString(), name, targets);
    const results = await this.checkOnce(tracked);
    if (results.some((r) => r.state === 'pending' || r.state === 'error')) {
      this.watch(tracked);
    }
    return tracked;
  }

  /** One check of a tracked document; stores and returns the results. */
  async checkOnce(doc: TrackedDocument): Promise<DeliveryResult[]> {
    const connection = await this.connectionFor(this.scopeOf(doc));
    const results = await loadDeliveryChecker().checkDeliveries(connection, doc.targets);
    await this.model.setResults(doc.uri, results);
    for (const r of results.filter((x) => x.state === 'error')) {
      this.log.warn(`Delivery check: ${describeDelivery(r)}`);
    }
    return results;
  }

  /** Watches with backoff in the background; a second call for the same document restarts it. */
  watch(doc: TrackedDocument): void {
    this.watches.get(doc.uri)?.abort();
    const controller = new AbortController();
    this.watches.set(doc.uri, controller);
    this.model.setWatching(doc.uri, true);
    let first = true;
    void watchDeliveries(() => this.checkOnce(this.model.get(doc.uri) ?? doc), {
      signal: controller.signal,
      onCheck: (_results, delivered) => {
        if (!first) {
          for (const r of delivered) {
            this.announce(doc, r);
          }
        }
        first = false;
      },
    })
      .then((results) => {
        if (!controller.signal.aborted) {
          this.log.info(`Stopped watching ${doc.name}: ${summarizeDeliveries(results)}.`);
        }
      })
      .catch((err: unknown) => this.log.error(`Watching ${doc.name} failed: ${errorText(err)}`))
      .finally(() => {
        if (this.watches.get(doc.uri) === controller) {
          this.watches.delete(doc.uri);
          this.model.setWatching(doc.uri, false);
        }
      });
  }

  /**
   * The listener received an S3 notification for bucket/key: every tracked
   * document waiting for it is checked at once (no waiting for the next poll).
   */
  async markDelivered(bucket: string, key: string): Promise<void> {
    for (const doc of this.model.awaiting(bucket, key)) {
      const results = await this.checkOnce(doc);
      const arrived = results.find((r) => r.bucket === bucket && r.key === key && r.state === 'delivered');
      if (arrived) {
        this.announce(doc, arrived);
      }
    }
  }

  stop(uri: string): void {
    this.watches.get(uri)?.abort();
  }

  private announce(doc: TrackedDocument, result: DeliveryResult): void {
    this.log.info(`${doc.name}: ${describeDelivery(result)}`);
    void vscode.window.showInformationMessage(`Delivered: ${result.label} (${doc.name}) · ${describeDelivery(result).split(' · ').slice(2).join(' · ')}`);
  }

  private scopeOf(doc: TrackedDocument): vscode.Uri | undefined {
    const uri = vscode.Uri.parse(doc.uri);
    return uri.scheme === 'file' ? uri : vscode.workspace.workspaceFolders?.[0]?.uri;
  }

  dispose(): void {
    for (const c of this.watches.values()) {
      c.abort();
    }
  }
}
