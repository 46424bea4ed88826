/**
 * Why a download failed, in the terms a caller acts on (the CLI maps these to
 * exit codes; the extension to tree states and buttons):
 * - `badInput`: not an http(s) URL, no reference, an unusable target folder;
 * - `expired`: the link had expired (refused before any request when the URL says so, or S3 said so);
 * - `refused`: the server refused (403 signature/access, 404 no such key, other 4xx);
 * - `network`: connection refused/dropped, timeouts, a short body, 5xx, after the retries;
 * - `credentials`: no usable credentials to fetch a bucket/key reference with;
 * - `cancelled`: the caller aborted;
 * - `filesystem`: the target folder or file could not be written.
 */
export type DownloadErrorKind = 'badInput' | 'expired' | 'refused' | 'network' | 'credentials' | 'cancelled' | 'filesystem';

/** A download failure whose message is meant for the user (it never contains a signature). */
export class DownloadError extends Error {
  constructor(
    message: string,
    readonly kind: DownloadErrorKind,
    readonly details: {
      /** HTTP status of the last answer, if any. */
      status?: number;
      /** S3 error code (`SignatureDoesNotMatch`, `NoSuchKey`, …), if the body had one. */
      s3Code?: string;
      /** A kept `.part` file that a later call may resume (network failures only). */
      partPath?: string;
      /** ETag of the object the `.part` file holds the beginning of. */
      etag?: string;
      /** Last-Modified of that object, the validator when it has no ETag. */
      lastModified?: string;
      /** Bytes in the kept `.part` file. */
      bytes?: number;
      /** Whether any request was sent (false when refused up front, e.g. an expired link). */
      requested?: boolean;
    } = {},
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

/** True for an error raised because an AbortSignal fired. */
export function isAbortError(err: unknown): boolean {
  return err instanceof DownloadError ? err.kind === 'cancelled' : (err as { name?: string } | undefined)?.name === 'AbortError';
}
