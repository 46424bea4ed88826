import type * as vscode from 'vscode';
import type { DownloadEntry, FetchOptions } from './core/download/downloadEntry';
import type { FileReference } from './core/events';
import type { EventHistory } from './core/listener/eventHistory';
import type { WebhookEvent } from './core/listener/webhookEvent';

// What one feature offers another. extension.ts builds the services and hands
// each feature only the interface it needs, so no feature folder imports another.

/** Recent Downloads as the fetch command uses it: start a download, retry one. */
export interface DownloadQueue {
  /** Resolves with the finished entry (done, failed, expired or cancelled); does not reject for download failures. */
  fetchReference(ref: FileReference, options: FetchOptions): Promise<DownloadEntry>;
  retry(id: string): Promise<DownloadEntry>;
}

/** Limits for a fetch no user chose (auto-fetch): which files, and where they go. */
export interface FetchAllOptions {
  /** Why a file must not be fetched, or undefined to fetch it. Files refused are skipped (and logged by the caller). */
  refuse?: (ref: FileReference) => string | undefined;
  /** Told about each file refused. */
  onRefused?: (ref: FileReference, reason: string) => void;
  /** Absolute folder to save into instead of the `s3Hooks.fetch.targetFolder` setting. */
  folder?: string;
  /** Refuse a file over this many bytes, whatever size the event states (checked on what the server sends). */
  maxBytes?: number;
}

/**
 * The fetch feature's background fetch (its downloader and Recent Downloads), for
 * the Webhook Events view's Fetch File and auto-fetch.
 */
export interface EventFileFetcher {
  /**
   * Fetches every file an event's JSON points at into the downloads folder, in
   * the background (Recent Downloads shows the progress). `source` names the
   * event in the list. Rejects naming the files that failed.
   */
  fetchAll(bodyJson: string, source: { label: string; uri?: string }, options?: FetchAllOptions): Promise<{ bytes: number }>;
}

/** The webhook listener as the Webhook Events view uses it. */
export interface ReceivedEvents {
  /** Every stored event (it outlives a listener: events stay visible after Stop). */
  readonly history: EventHistory;
  /** Resolves once the history was read from disk. */
  readonly ready: Promise<void>;
  /** `localUrl` while listening. */
  readonly current: { readonly localUrl?: string };
  /** Fires for each event stored (and answered) by the listener. */
  readonly onDidReceiveEvent: vscode.Event<WebhookEvent>;
  /** Confirms an SNS subscription from a stored SubscriptionConfirmation (running or not). */
  confirmSubscription(eventId: string): Promise<{ subscriptionArn?: string }>;
}

/** One S3 object fetched into the workspace through the fetch feature's downloader (credentials, Recent Downloads): for Callback Deliveries. */
export interface ObjectFetcher {
  fetchObject(bucket: string, key: string, label: string): Promise<void>;
}

/** Callback Deliveries as the listener's S3 notifications reach it: a tracked key is checked at once. */
export interface DeliveryMarker {
  markDelivered(bucket: string, key: string): Promise<void>;
}
