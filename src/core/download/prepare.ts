import { mkdir, stat } from 'node:fs/promises';
import { checkHop } from '../http/hops';
import { describeExpiry } from '../format/duration';
import { earliestExpiry, inspectPresignedUrl } from '../url/presignedUrl';
import { DownloadError } from './downloadError';
import { sanitizeFileName } from './fileNames';
import type { DownloadOptions } from './options';
import { readLedger, type PartLedger } from './partLedger';
import type { PartState } from './singleStream';
import { networkMessage } from './support';

/** What is settled before the first request: the URL, the fallback name, and what a resume starts from. */
export interface Prepared {
  url: URL;
  baseName: string;
  part: PartState;
  /** The record of a ranged `.part` being resumed. */
  ledger?: PartLedger;
}

function decoded(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * Checks a download before anything is sent: a URL the hop policy allows, not
 * expired (the URL's own expiry or the event's, whichever is earlier), not
 * cancelled, a target folder that exists or can be made; then what a resume
 * continues from (a ranged `.part` with its ledger, or a single stream's
 * beginning, which needs a validator).
 */
export async function prepareDownload(options: DownloadOptions, now: () => number): Promise<Prepared> {
  let url: URL;
  try {
    url = new URL(options.url.trim());
  } catch {
    throw new DownloadError('This is not a URL that can be downloaded.', 'badInput', { requested: false });
  }
  try {
    checkHop(url);
  } catch (err) {
    throw new DownloadError((err as Error).message, 'badInput', { requested: false });
  }
  const info = inspectPresignedUrl(url.toString());
  const expiresAt = earliestExpiry(info?.expiresAt, options.expiresAt);
  if (expiresAt && expiresAt.getTime() <= now()) {
    throw new DownloadError(
      `The link ${describeExpiry(expiresAt, now())} (at ${expiresAt.toISOString()}), so it was not requested. ` +
        'Ask the sender for a fresh link or a new event; an expired presigned URL cannot be revived.',
      'expired',
      { requested: false },
    );
  }
  if (options.signal?.aborted) {
    throw new DownloadError('The download was cancelled.', 'cancelled', { requested: false });
  }
  try {
    await mkdir(options.targetFolder, { recursive: true });
  } catch (err) {
    throw new DownloadError(`Cannot create the folder ${options.targetFolder}: ${networkMessage(err)}`, 'filesystem', { requested: false });
  }
  const baseName = sanitizeFileName(options.suggestedName ?? info?.key ?? decoded(url.pathname), 'download');
  const part: PartState = { bytes: 0 };
  if (!options.resume) {
    return { url, baseName, part };
  }
  const existing = await stat(options.resume.partPath).catch(() => undefined);
  if (!existing?.isFile()) {
    return { url, baseName, part };
  }
  part.path = options.resume.partPath;
  const ledger = await readLedger(part.path);
  if (ledger && existing.size === ledger.total) {
    return { url, baseName, part, ledger };
  }
  part.bytes = existing.size;
  part.etag = options.resume.etag;
  part.lastModified = options.resume.lastModified;
  if (ledger || (!part.etag && !part.lastModified)) {
    // A ranged part without its size, or a beginning without a validator, could mix object versions: start over.
    part.bytes = 0;
  }
  return { url, baseName, part };
}
