import { httpRequest, type HttpAnswer, type HttpRequestError } from '../http';
import { redactUrlsInText } from '../redact';
import { explainS3Error, formatS3Error, type S3ErrorReport } from '../s3/s3Errors';
import { describeExpiry } from '../format/duration';
import { inspectPresignedUrl } from '../url/presignedUrl';
import { formatInstant } from './expiry';

/** A test upload to a presigned PUT URL. */
export interface TestUploadOptions {
  url: string;
  /** Headers to send, exactly as signed (the Content-Type in particular). */
  headers?: Record<string, string>;
  /** Default: {@link sampleBody} for the Content-Type. */
  body?: Uint8Array;
  /** For the expiry check; default now. */
  now?: Date;
  signal?: AbortSignal;
  /** Give up after this long; default 30 s. */
  timeoutMs?: number;
}

export type TestUploadOutcome =
  /** S3 stored the sample (2xx). */
  | 'accepted'
  /** S3 answered with an error; see `report`. */
  | 'refused'
  /** The URL had expired already: nothing was sent. */
  | 'expired'
  /** Not a presigned URL, or it signs a Content-Type and none was given: nothing was sent. */
  | 'badInput'
  /** No answer: connection refused, DNS, timeout. */
  | 'network';

export interface TestUploadResult {
  outcome: TestUploadOutcome;
  /** HTTP status, when S3 answered. */
  status?: number;
  /** The explanation of S3's error, for `refused`. */
  report?: S3ErrorReport;
  /** What happened, in plain words, with no URL in it (safe to log). */
  message: string;
  sentHeaders: Record<string, string>;
  bytes: number;
  bucket?: string;
  key?: string;
  expiresAt?: Date;
}

/**
 * A small body that shows where it came from, in the format the Content-Type
 * announces (so that a viewer of the test object is not confused).
 */
export function sampleBody(contentType: string | undefined, now: Date = new Date()): Uint8Array {
  const at = formatInstant(now);
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  let text: string;
  if (type === 'application/json') {
    text = `${JSON.stringify({ s3Hooks: 'test upload', at })}\n`;
  } else if (type === 'text/vtt') {
    text = `WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nS3 Hooks test upload ${at}\n`;
  } else if (type === 'text/srt') {
    text = `1\n00:00:00,000 --> 00:00:01,000\nS3 Hooks test upload ${at}\n`;
  } else if (type.endsWith('xml')) {
    text = `<?xml version="1.0" encoding="UTF-8"?>\n<tt xmlns="http://www.w3.org/ns/ttml"><body><div><p>S3 Hooks test upload ${at}</p></div></body></tt>\n`;
  } else {
    text = `S3 Hooks test upload ${at}\n`;
  }
  return new TextEncoder().encode(text);
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return Object.entries(headers).find(([k]) => k.toLowerCase() === wanted)?.[1];
}

/**
 * Uploads a small sample to a presigned PUT URL with exactly the given headers
 * and reports S3's answer in plain words. Checks first, without sending, that
 * the text is a presigned URL, that it has not expired, and that a signed
 * Content-Type was supplied. The body is sent as bytes so that no default
 * Content-Type is added. Never throws for a failed upload.
 */
export async function testPresignedPut(options: TestUploadOptions): Promise<TestUploadResult> {
  const now = options.now ?? new Date();
  const headers = { ...(options.headers ?? {}) };
  const info = inspectPresignedUrl(options.url);
  const base = { sentHeaders: headers, bytes: 0 };
  if (!info) {
    return { ...base, outcome: 'badInput', message: 'This is not a presigned S3 URL: it has no X-Amz-Signature (or Signature and Expires) parameter.' };
  }
  const where = info.bucket && info.key ? `s3://${info.bucket}/${info.key}` : info.key ? `key ${info.key}` : 'the URL';
  const located = { bucket: info.bucket, key: info.key, expiresAt: info.expiresAt };
  if (info.expiresAt && info.expiresAt.getTime() <= now.getTime()) {
    return {
      ...base,
      ...located,
      outcome: 'expired',
      message: `The URL for ${where} expired at ${formatInstant(info.expiresAt)} (${describeExpiry(info.expiresAt, now.getTime())}); S3 would refuse it, so nothing was sent. Create a new one.`,
    };
  }
  const contentType = headerValue(headers, 'content-type');
  if (info.signedHeaders.includes('content-type') && contentType === undefined) {
    return {
      ...base,
      ...located,
      outcome: 'badInput',
      message: 'The URL signs a Content-Type, so the upload must send exactly that value; none was given.',
    };
  }
  const body = options.body ?? sampleBody(contentType, now);
  const timeoutMs = options.timeoutMs ?? 30_000;
  let response: HttpAnswer;
  try {
    response = await httpRequest(info.url, { method: 'PUT', headers, body, timeoutMs, signal: options.signal });
  } catch (err) {
    const e = err as HttpRequestError;
    const detail = e.failure === 'timeout' ? `no answer within ${timeoutMs} ms` : (e.code ?? e.message);
    return {
      ...base,
      ...located,
      bytes: body.byteLength,
      outcome: 'network',
      message: redactUrlsInText(`No answer from ${new URL(info.url).host} for ${where}: ${detail}.`),
    };
  }
  const text = response.body.toString('utf8');
  const sent = { ...located, sentHeaders: headers, bytes: body.byteLength, status: response.status };
  if (response.status >= 200 && response.status < 300) {
    const expiry = info.expiresAt ? ` It works until ${formatInstant(info.expiresAt)} (${describeExpiry(info.expiresAt, now.getTime())}).` : '';
    return {
      ...sent,
      outcome: 'accepted',
      message:
        `S3 accepted the test upload (${response.status}): ${body.byteLength} bytes${contentType ? ` of ${contentType}` : ''} are stored at ${where}.` +
        `${expiry} The sample stays there until the real upload replaces it.`,
    };
  }
  const report = explainS3Error(response.status, text, { operation: 'upload', presigned: true });
  return { ...sent, outcome: 'refused', report, message: `S3 refused the test upload to ${where}: ${formatS3Error(report)}` };
}
