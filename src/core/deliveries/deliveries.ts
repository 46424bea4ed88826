import { referencesFromText } from '../events/fileReferences';
import { findPutUrls } from '../presign/callbackDocument';
import { formatBytes } from '../format/units';
import { describeExpiry, formatDuration } from '../format/duration';
import { formatInstant } from '../presign/expiry';

/**
 * Did the vendor deliver? The SDK-free half of delivery tracking: what to
 * check (from a callback document), what a HEAD answer means, and how results
 * read. Plain JSON throughout (dates as ISO strings) so results persist as is;
 * the presigned URLs themselves are never kept.
 */

/** One upload a callback document asks for. */
export interface DeliveryTarget {
  /** "transcript (srt)", "analytics", "upload". */
  label: string;
  bucket: string;
  key: string;
  /** The Content-Type the uploader sends (and the URL signs); undefined when none is expected. */
  contentType?: string;
  /** ISO 8601: when the URL was signed (an older object is not this delivery). */
  signedAt?: string;
  /** ISO 8601: when the URL stops working. */
  expiresAt?: string;
}

export type DeliveryState = 'pending' | 'delivered' | 'expired' | 'error';

/** What a HEAD of the target's bucket and key found. */
export interface DeliveryResult extends DeliveryTarget {
  state: DeliveryState;
  /** ISO 8601: when this was checked. */
  checkedAt: string;
  /** delivered: bytes stored. */
  size?: number;
  /** delivered: S3's Last-Modified, ISO 8601. */
  lastModified?: string;
  /** delivered: the Content-Type S3 stored. */
  storedContentType?: string;
  /** delivered: false when the stored Content-Type is not the one signed. */
  contentTypeMatches?: boolean;
  /** error, or a pending target with an older object stored: in plain words. */
  note?: string;
  /** error: what kind. */
  errorKind?: DeliveryErrorKind;
}

/** What a HEAD answered: the object's metadata, not found, or a failure in plain words. */
export type HeadAnswer =
  | { found: true; size?: number; lastModified?: Date; contentType?: string }
  | { found: false }
  | { error: string; errorKind: DeliveryErrorKind };

/** Why a target could not be checked: the CLI maps these to exit codes. */
export type DeliveryErrorKind = 'credentials' | 'accessDenied' | 'other';

/**
 * The delivery targets of a callback document: one per presigned PUT URL whose
 * bucket and key can be read. Throws a RangeError naming the problem when
 * there is none.
 */
export function deliveryTargets(text: string): DeliveryTarget[] {
  const sites = findPutUrls(text);
  const targets = sites
    .filter((s) => s.info.bucket && s.info.key)
    .map((s): DeliveryTarget => ({
      label: s.label,
      bucket: s.info.bucket!,
      key: s.info.key!,
      contentType: s.uploaderContentType ?? (typeof s.signedContentType === 'string' ? s.signedContentType : undefined),
      signedAt: s.info.signedAt?.toISOString(),
      expiresAt: s.info.expiresAt?.toISOString(),
    }));
  if (targets.length === 0) {
    throw new RangeError(
      sites.length > 0
        ? 'No presigned PUT URL of this document names a bucket and key S3 Hooks can read.'
        : 'No presigned PUT URL found: give a callback document (VoiceBase publish.callbacks, or { url, method, headers }).',
    );
  }
  return targets;
}

// S3's Last-Modified has whole seconds; the signing instant does too. Allow clock skew between the two.
const skewMs = 5 * 60 * 1000;

/** What a HEAD answer means for a target at `now`. */
export function deliveryResult(target: DeliveryTarget, answer: HeadAnswer, now: Date): DeliveryResult {
  const checkedAt = now.toISOString();
  if ('error' in answer) {
    return { ...target, state: 'error', checkedAt, note: answer.error, errorKind: answer.errorKind };
  }
  const expired = target.expiresAt !== undefined && Date.parse(target.expiresAt) <= now.getTime();
  if (answer.found) {
    const older = target.signedAt && answer.lastModified && answer.lastModified.getTime() < Date.parse(target.signedAt) - skewMs;
    if (!older) {
      const stored = answer.contentType;
      return {
        ...target,
        state: 'delivered',
        checkedAt,
        size: answer.size,
        lastModified: answer.lastModified?.toISOString(),
        storedContentType: stored,
        contentTypeMatches: target.contentType === undefined || stored === undefined ? undefined : sameType(stored, target.contentType),
      };
    }
    const note = `an object from ${formatInstant(answer.lastModified!)} is stored, older than the URL`;
    return { ...target, state: expired ? 'expired' : 'pending', checkedAt, note };
  }
  return { ...target, state: expired ? 'expired' : 'pending', checkedAt };
}

function sameType(a: string, b: string): boolean {
  const bare = (t: string) => t.split(';')[0].trim().toLowerCase();
  return bare(a) === bare(b);
}

/** True when nothing more can change: every target delivered or expired (errors are retried). */
export function allSettled(results: readonly DeliveryResult[]): boolean {
  return results.every((r) => r.state === 'delivered' || r.state === 'expired');
}

/** The one-word-first line for a result: "delivered · transcript (srt) · 1.2 KB text/srt at 2026-…Z". */
export function describeDelivery(result: DeliveryResult, now: Date = new Date()): string {
  const where = `s3://${result.bucket}/${result.key}`;
  switch (result.state) {
    case 'delivered': {
      const parts = [result.size !== undefined ? formatBytes(result.size) : undefined, result.storedContentType].filter(Boolean).join(' ');
      const when = result.lastModified ? ` at ${formatInstant(new Date(result.lastModified))}` : '';
      const mismatch = result.contentTypeMatches === false ? ` · Content-Type ${result.storedContentType} stored, ${result.contentType} signed` : '';
      return `delivered · ${result.label} · ${parts}${when}${mismatch} · ${where}`;
    }
    case 'pending':
      return `pending · ${result.label} · ${result.expiresAt ? describeExpiry(new Date(result.expiresAt), now.getTime()) : 'no expiry in the URL'}${result.note ? ` · ${result.note}` : ''} · ${where}`;
    case 'expired':
      return `expired, not delivered · ${result.label} · ${result.expiresAt ? describeExpiry(new Date(result.expiresAt), now.getTime()) : ''}${result.note ? ` · ${result.note}` : ''} · ${where}`;
    default:
      return `error · ${result.label} · ${result.note ?? 'unknown'} · ${where}`;
  }
}

/** "2 of 3 delivered, 1 pending": a summary for notifications and tree descriptions. */
export function summarizeDeliveries(results: readonly DeliveryResult[]): string {
  const count = (s: DeliveryState) => results.filter((r) => r.state === s).length;
  const parts = [`${count('delivered')} of ${results.length} delivered`];
  for (const [state, word] of [['pending', 'pending'], ['expired', 'expired'], ['error', 'failed to check']] as const) {
    if (count(state) > 0) {
      parts.push(`${count(state)} ${word}`);
    }
  }
  return parts.join(', ');
}

/**
 * The wait before poll `attempt` (0-based) while watching: 2 s doubling to a
 * minute, so a delivery is seen quickly at first without hammering S3 for hours.
 */
export function pollDelayMs(attempt: number, firstMs = 2000, capMs = 60_000): number {
  return Math.min(capMs, firstMs * 2 ** Math.min(attempt, 20));
}

/** "in 4 s": for "next check in …" messages. */
export function describeNextPoll(ms: number): string {
  return `in ${formatDuration(ms)}`;
}

/**
 * An S3 notification event naming one object, as the listener receives them
 * and Fetch reads them: lets a delivered result go through the same fetcher.
 */
export function s3ObjectEventJson(bucket: string, key: string): string {
  // Notification keys are URL-encoded with '+' for space (decodeNotificationKey reverses it).
  const encoded = encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/gi, '/');
  return JSON.stringify({ Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: bucket }, object: { key: encoded } } }] });
}

/**
 * The objects an S3 notification names (S3 records, SNS-wrapped, EventBridge),
 * from a webhook body: the keys a listener can mark delivered at once.
 */
export function notifiedObjects(bodyText: string | undefined): { bucket: string; key: string }[] {
  if (!bodyText) {
    return [];
  }
  const found = referencesFromText(bodyText);
  if (!found.ok) {
    return [];
  }
  return found.references
    .filter((r) => (r.shape === 's3Records' || r.shape === 'snsS3Records' || r.shape === 'eventBridgeS3') && r.bucket && r.key !== undefined)
    .map((r) => ({ bucket: r.bucket!, key: r.key! }));
}
