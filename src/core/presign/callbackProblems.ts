import { describeExpiry, formatDuration } from '../format/duration';
import type { PutUrlSite, TextSpan } from './callbackDocument';
import { formatInstant, maxExpirySeconds } from './expiry';

/**
 * What is wrong with a presigned PUT URL in a callback document, decided here
 * (plain data, unit-tested); the editor maps problems to diagnostics and fixes
 * to code actions, the CLI prints them.
 */

export type CallbackProblemCode = 'expired' | 'expiresSoon' | 'sigV2' | 'contentTypeMismatch' | 'contentTypeMissing' | 'methodNotPut' | 'temporaryCredentials';

/** How to repair a problem: sign the URL again, or write `"method": "PUT"`. */
export type CallbackFix = 'resign' | 'setMethodPut';

/** The fix of each problem (the editor finds a diagnostic's fix by its code). */
export const fixOfProblem: Record<CallbackProblemCode, CallbackFix | undefined> = {
  expired: 'resign',
  expiresSoon: 'resign',
  sigV2: 'resign',
  contentTypeMismatch: 'resign',
  contentTypeMissing: undefined,
  methodNotPut: 'setMethodPut',
  temporaryCredentials: 'resign',
};

export interface CallbackProblem {
  code: CallbackProblemCode;
  severity: 'error' | 'warning';
  /** Starts with what is wrong; no URL in it (safe to log). */
  message: string;
  fix?: CallbackFix;
}

export interface ProblemOptions {
  now?: Date;
  /** A URL with less than this left (and less than a quarter of its lifetime, so a fresh short one is fine) is "expiring soon"; default 1 hour. */
  soonSeconds?: number;
  /** When known, the expiry of the temporary credentials that signed the URLs (X-Amz-Security-Token). */
  sessionExpiresAt?: Date;
}

function lifetimeMs(site: PutUrlSite): number {
  const { signedAt, expiresAt, expiresInSeconds } = site.info;
  if (expiresInSeconds !== undefined) {
    return expiresInSeconds * 1000;
  }
  return signedAt && expiresAt ? expiresAt.getTime() - signedAt.getTime() : Number.POSITIVE_INFINITY;
}

/** The problems of one URL, worst first. */
export function callbackProblems(site: PutUrlSite, options: ProblemOptions = {}): CallbackProblem[] {
  const now = (options.now ?? new Date()).getTime();
  const soonMs = (options.soonSeconds ?? 3600) * 1000;
  const { info } = site;
  const problems: CallbackProblem[] = [];
  const expiresAt = info.expiresAt;
  if (expiresAt && expiresAt.getTime() <= now) {
    problems.push({
      code: 'expired',
      severity: 'error',
      message: `Presigned URL ${describeExpiry(expiresAt, now)} (at ${formatInstant(expiresAt)}): S3 refuses every upload to it. Re-sign it.`,
    });
  } else if (expiresAt && expiresAt.getTime() - now < soonMs && expiresAt.getTime() - now < lifetimeMs(site) / 4) {
    problems.push({
      code: 'expiresSoon',
      severity: 'warning',
      message: `Presigned URL expires in ${formatDuration(expiresAt.getTime() - now)} (at ${formatInstant(expiresAt)}): a delivery or retry after that is refused.`,
    });
  }
  if (site.method !== undefined && (typeof site.method !== 'string' || site.method.toUpperCase() !== 'PUT')) {
    problems.push({
      code: 'methodNotPut',
      severity: 'error',
      message: `Method ${JSON.stringify(site.method)} is not PUT: a presigned PUT URL refuses any other method (SignatureDoesNotMatch).`,
    });
  } else if (site.method === undefined && site.form === 'voicebase') {
    problems.push({
      code: 'methodNotPut',
      severity: 'error',
      message: 'Method missing: VoiceBase then POSTs, and a presigned PUT URL refuses that. Add "method": "PUT".',
    });
  }
  const uploader = site.uploaderContentType;
  const signed = site.signedContentType;
  if (typeof signed === 'string' && uploader !== undefined && signed.toLowerCase() !== uploader.toLowerCase()) {
    problems.push({
      code: 'contentTypeMismatch',
      severity: 'error',
      message: `Content-Type ${signed} is signed, but ${uploader} is sent (${site.uploaderContentTypeSource}): S3 refuses the upload (SignatureDoesNotMatch). Re-sign for ${uploader}.`,
    });
  } else if (typeof signed === 'string' && uploader === undefined && site.form === 'generic') {
    problems.push({
      code: 'contentTypeMissing',
      severity: 'error',
      message: `Content-Type ${signed} is signed, but the "headers" next to the URL give none: an uploader following them is refused. Add it to "headers".`,
    });
  }
  if (info.signatureVersion === 'v2') {
    problems.push({
      code: 'sigV2',
      severity: 'warning',
      message: 'Signature Version 2 (Signature/Expires): AWS S3 refuses SigV2 in most regions and for newer buckets. Re-sign it as SigV4.',
    });
  }
  if (info.hasSecurityToken && expiresAt) {
    const session = options.sessionExpiresAt;
    if (session && session.getTime() < expiresAt.getTime()) {
      problems.push({
        code: 'temporaryCredentials',
        severity: 'error',
        message: `Temporary credentials expire at ${formatInstant(session)}, before the URL (${formatInstant(expiresAt)}): S3 refuses it from then on. Re-sign with long-lived credentials.`,
        fix: 'resign',
      });
    } else if (!session && expiresAt.getTime() > now) {
      problems.push({
        code: 'temporaryCredentials',
        severity: 'warning',
        message: `Temporary credentials (a session token) signed this URL: it stops working when they expire, possibly before ${formatInstant(expiresAt)}. Sign with long-lived credentials to be sure.`,
      });
    }
  }
  return problems.map((p) => ({ ...p, fix: fixOfProblem[p.code] }));
}

/** "Test upload · text/srt · expires in 23 h": the lens above a URL. */
export function putLensTitle(site: PutUrlSite, now: Date = new Date()): string {
  const type = site.uploaderContentType ?? (typeof site.signedContentType === 'string' ? site.signedContentType : 'no Content-Type');
  return `Test upload · ${type} · ${describeExpiry(site.info.expiresAt, now.getTime())}`;
}

/** What to sign again: the same bucket and key, the Content-Type the uploader sends, and a fresh expiry. */
export interface ResignRequest {
  bucket: string;
  key: string;
  /** undefined: sign none (the URL signed none, and the document names none). */
  contentType?: string;
  expiresIn: number;
}

/**
 * The request that replaces a URL: its bucket and key, the uploader's
 * Content-Type (else the one it signed), and its own lifetime again (SigV4
 * `X-Amz-Expires`), else `defaultExpiresIn`. Undefined when the URL names no
 * bucket or key (a custom host the inspector cannot read).
 */
export function resignRequest(site: PutUrlSite, defaultExpiresIn: number): ResignRequest | undefined {
  const { bucket, key, expiresInSeconds } = site.info;
  if (!bucket || !key) {
    return undefined;
  }
  const lifetime = expiresInSeconds !== undefined && expiresInSeconds >= 1 && expiresInSeconds <= maxExpirySeconds ? expiresInSeconds : defaultExpiresIn;
  const contentType = site.uploaderContentType ?? (typeof site.signedContentType === 'string' ? site.signedContentType : undefined);
  return { bucket, key, contentType, expiresIn: lifetime };
}

/** A text edit on the document: replace `span` with `text`. */
export interface CallbackEdit extends TextSpan {
  text: string;
}

/** The edits that put a re-signed URL in place: the URL, and the generic form's `expiresAt` and Content-Type header. */
export function resignEdits(site: PutUrlSite, url: string, expiresAt: Date): CallbackEdit[] {
  const edits: CallbackEdit[] = [{ ...site.span, text: JSON.stringify(url) }];
  if (site.expiresAtSpan) {
    edits.push({ ...site.expiresAtSpan, text: JSON.stringify(formatInstant(expiresAt)) });
  }
  return edits;
}

/** The edit that makes the method PUT: replaces the value, or inserts the property before "url". */
export function setMethodPutEdit(site: PutUrlSite): CallbackEdit {
  return site.methodSpan ? { ...site.methodSpan, text: '"PUT"' } : { offset: site.methodInsertAt, length: 0, text: '"method": "PUT", ' };
}
