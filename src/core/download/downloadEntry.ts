import type { JsonPath, ReferenceShape } from '../events';
import type { DownloadProgress } from './downloader';

/** Where a download stands. `expired`: the link had expired (refused before any request, or S3 said so). */
export type DownloadStatus = 'inProgress' | 'done' | 'failed' | 'expired' | 'cancelled';

/** One row of Recent Downloads. Plain JSON: persisted as is (never with a signed URL). */
export interface DownloadEntry {
  id: string;
  status: DownloadStatus;
  /** The saved file's name when done, else the name it will get. */
  fileName: string;
  targetFolder: string;
  /** Absolute path of the saved file (done). */
  path?: string;
  /** A `.part` file kept for Resume (failed or cancelled), with the ETag it must match. */
  partPath?: string;
  etag?: string;
  /** Last-Modified of that object, the validator when it has no ETag. */
  lastModified?: string;
  /** Bytes received (in progress) or saved (done). */
  bytes: number;
  total?: number;
  /** Bytes per second, while in progress (not persisted). */
  rate?: number;
  shape: ReferenceShape;
  /** The URL with its signature hidden, or undefined for a bucket/key reference. */
  redactedUrl?: string;
  bucket?: string;
  key?: string;
  eventId?: string;
  expiresAt?: string;
  /** The event file it came from (a URI), when there is one. */
  sourceUri?: string;
  /** Where the event came from, in words ("klavi-event.json", "clipboard", "webhook event …"). */
  sourceLabel: string;
  /** Where the reference sits in the source event, to find it again for Retry after a reload. */
  jsonPath: JsonPath;
  startedAt: string;
  finishedAt?: string;
  /** Why it failed / expired / was cancelled, in plain words. */
  message?: string;
}

/** What Recent Downloads' `fetchReference` needs besides the reference. */
export interface FetchOptions {
  /** Absolute folder to save into. */
  targetFolder: string;
  /** Where the event came from: its file URI (for Open Source Event and Retry) and a label. */
  source?: { uri?: string; label?: string };
  /** Also cancels (the entry's own Cancel works too). */
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  /** Refuse a file over this many bytes (auto-fetch's per-file limit; see DownloadOptions.maxBytes). Retry / Resume is not limited: the user chose it. */
  maxBytes?: number;
}
