import type { FileReference } from '../events';
import type { S3Connection } from '../s3/connection';
import { DownloadError } from './downloadError';
import { downloadUrl, type DownloadOptions, type DownloadResult } from './downloader';

/** How long a GET URL presigned locally for a bucket/key reference lives: just long enough to fetch (and retry). */
const localPresignSeconds = 3600;

/**
 * Presigns a GET for an object with the SDK and the connection's credentials.
 * Missing credentials become a `credentials` {@link DownloadError}. The SDK
 * sits behind a relative require, a lazy bundle boundary (scripts/build.mjs):
 * fetching a URL, the common case, never loads or even parses it.
 */
export async function presignObjectGet(
  connection: S3Connection,
  object: { bucket: string; key: string; versionId?: string },
  expiresInSeconds = localPresignSeconds,
): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { presignObjectGetWithSdk } = require('./objectGet') as typeof import('./objectGet');
  try {
    return await presignObjectGetWithSdk(connection, object, expiresInSeconds);
  } catch (err) {
    const e = err as { name?: string; message?: string };
    if (e.name === 'CredentialsProviderError' || /credential/i.test(e.message ?? '')) {
      throw new DownloadError(
        `No AWS credentials to fetch s3://${object.bucket}/${object.key}: ${e.message ?? 'none found'}. ` +
          'Set a profile or access keys (VS Code: S3 Hooks: Set S3 Access Keys…; CLI: AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY).',
        'credentials',
        { requested: false },
      );
    }
    throw err;
  }
}

export interface FetchReferenceOptions extends Omit<DownloadOptions, 'url' | 'suggestedName' | 'expiresAt' | 'presigned'> {
  /**
   * The S3 connection for references that name a bucket and key but carry no
   * URL, or a function that resolves it when needed. Not used for URLs.
   */
  connection?: S3Connection | (() => Promise<S3Connection>);
}

/**
 * Fetches what a reference points at into `targetFolder`: its URL with
 * {@link downloadUrl} (the event's expiry rule applied), or, for a bucket/key
 * reference, a GET presigned locally with the configured connection (same
 * streaming, resume and error handling). The region of an event applies when
 * the connection is AWS itself (no custom endpoint).
 */
export async function fetchReference(ref: FileReference, options: FetchReferenceOptions): Promise<DownloadResult> {
  const { connection, ...download } = options;
  if (ref.url) {
    return downloadUrl({
      ...download,
      url: ref.url,
      suggestedName: ref.suggestedName,
      expiresAt: ref.expiresAt ? new Date(ref.expiresAt) : undefined,
    });
  }
  if (!ref.bucket || ref.key === undefined) {
    throw new DownloadError('This reference names neither a URL nor a bucket and key.', 'badInput', { requested: false });
  }
  if (!connection) {
    throw new DownloadError(
      `s3://${ref.bucket}/${ref.key} has no URL: fetching it needs an S3 connection (region, endpoint, credentials).`,
      'credentials',
      { requested: false },
    );
  }
  const resolved = typeof connection === 'function' ? await connection() : connection;
  const effective = resolved.endpoint || !ref.region ? resolved : { ...resolved, region: ref.region };
  const url = await presignObjectGet(effective, { bucket: ref.bucket, key: ref.key, versionId: ref.versionId });
  return downloadUrl({ ...download, url, suggestedName: ref.suggestedName, presigned: false });
}
