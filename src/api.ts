import type { CallbackDeliveriesModel } from './deliveries/callbackDeliveriesModel';
import type { WebhookListenerService } from './listener/webhookListenerService';
import type { RecentDownloads } from './recentDownloads/recentDownloadsModel';
import type { WebhookEventsModel } from './webhookEvents/webhookEventsModel';

/**
 * What `activate` returns: the extension's live services, for other extensions
 * and for the integration tests (which reach it through
 * `vscode.extensions.getExtension(extensionId)!.activate()`). Each capability
 * adds its service here.
 */
export interface S3HooksApi {
  /** Milliseconds `activate` took, measured inside the extension host. */
  readonly activationMs: number;
  /** The webhook listener: `current` (state, URLs, count), `start`/`stop`, `history`, `onDidChangeStatus`. */
  readonly webhookListener: WebhookListenerService;
  /** The Webhook Events view's model: `events()` newest first, `get(id)`, `onDidChange`. */
  readonly webhookEvents: WebhookEventsModel;
  /**
   * Recent Downloads: `list()` newest first, `fetchReference(ref, { targetFolder, source })` (downloads and
   * resolves with the finished entry), `retry(id)`, `cancel(id)`, `remove(id)`, `onDidChange`.
   */
  readonly recentDownloads: RecentDownloads;
  /** Callback Deliveries: `list()` of tracked documents with their last results, `onDidChange`. */
  readonly callbackDeliveries: CallbackDeliveriesModel;
}

/** `<publisher>.<name>` from package.json. */
export const extensionId = 's3-hooks.s3-hooks';
