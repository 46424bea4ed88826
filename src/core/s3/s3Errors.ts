import { XMLParser } from 'fast-xml-parser';
import { expiredExplanation, explainers, isExpiredMessage, type Explanation } from './s3ErrorCodes';

/**
 * What kind of failure an S3 answer is, in the terms a caller acts on (the CLI
 * maps these to exit codes; the extension picks words and buttons).
 */
export type S3ErrorKind =
  /** The presigned URL (or the session that signed it) is past its expiry. */
  | 'expired'
  /** The signature does not match the request: a signed header or the URL was changed. */
  | 'signature'
  /** Access refused for another reason: permissions, policy, unknown key id. */
  | 'accessDenied'
  /** No such key, bucket or upload. */
  | 'notFound'
  /** Signed for the wrong region or sent to the wrong endpoint. */
  | 'wrongRegion'
  /** The request itself was malformed or not allowed (4xx other than the above). */
  | 'badRequest'
  /** S3 asked to slow down (503 SlowDown, 429). Worth retrying later. */
  | 'throttled'
  /** A server-side failure (5xx). Worth retrying. */
  | 'server'
  /** Anything else. */
  | 'other';

/** The fields of an S3 XML `<Error>` body. */
export interface S3ErrorBody {
  /** `<Code>`, e.g. `SignatureDoesNotMatch`. */
  code?: string;
  /** `<Message>`, S3's own sentence. */
  message?: string;
  /** `<RequestId>`, for support cases. */
  requestId?: string;
  /** Every other simple child element (`Region`, `Endpoint`, `Expires`, `ServerTime`, `BucketName`, `Key`, …). */
  fields: Record<string, string>;
}

/** An S3 failure explained in plain words. */
export interface S3ErrorReport {
  /** HTTP status. */
  status: number;
  kind: S3ErrorKind;
  /** S3's error code, when the body had one. */
  code?: string;
  /** S3's own message, when the body had one. */
  s3Message?: string;
  requestId?: string;
  /** One plain sentence: what happened. */
  summary: string;
  /** What to do about it. */
  hint?: string;
  /** The other fields of the error body (may include `StringToSign`/`CanonicalRequest` for signature errors). */
  fields: Record<string, string>;
}

/** What the failed request was doing; it changes what a signature error most likely means. */
export interface S3ErrorContext {
  /** `upload` (a PUT to a presigned URL), `download` (a GET), or `request` (anything else). Default `request`. */
  operation?: 'upload' | 'download' | 'request';
  /** Whether the request went to a presigned URL (rather than through the SDK with live credentials). Default true. */
  presigned?: boolean;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
});

/**
 * Parses an S3 XML error body (`<Error><Code>…</Code><Message>…</Message>…</Error>`).
 * Returns undefined when the text is not such a body. Never throws.
 */
export function parseS3ErrorBody(body: string | undefined): S3ErrorBody | undefined {
  if (!body || !body.includes('<Error')) {
    return undefined;
  }
  let doc: unknown;
  try {
    doc = parser.parse(body);
  } catch {
    return undefined;
  }
  const error = (doc as { Error?: unknown } | undefined)?.Error;
  if (!error || typeof error !== 'object') {
    return undefined;
  }
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(error as Record<string, unknown>)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      fields[name] = String(value);
    }
  }
  const { Code: code, Message: message, RequestId: requestId, ...rest } = fields;
  if (!code && !message) {
    return undefined;
  }
  return { code, message, requestId, fields: rest };
}

function explainStatus(status: number, context: Required<S3ErrorContext>): Explanation {
  if (status === 403) {
    return {
      kind: 'accessDenied',
      summary: context.presigned
        ? 'S3 refused the request (403) without saying why: the URL may have expired, been changed, or been signed with credentials that lack access.'
        : 'S3 refused the request (403) without saying why.',
    };
  }
  if (status === 404) {
    return { kind: 'notFound', summary: 'Not found (404): there is no object at this key, or no such bucket.' };
  }
  if (status === 301 || status === 307) {
    return { kind: 'wrongRegion', summary: `S3 redirected the request (${status}): the bucket is in another region or behind another endpoint.` };
  }
  if (status === 405) {
    return explainers.MethodNotAllowed({ fields: {} }, context);
  }
  if (status === 429 || status === 503) {
    return { kind: 'throttled', summary: `The server is busy (${status}).`, hint: 'Retry after a short wait.' };
  }
  if (status >= 500) {
    return { kind: 'server', summary: `The server failed (${status}).`, hint: 'Retry; it is usually transient.' };
  }
  if (status >= 400) {
    return { kind: 'badRequest', summary: `The server rejected the request (${status}).` };
  }
  return { kind: 'other', summary: `Unexpected answer (${status}).` };
}

/**
 * Explains a failed S3 answer in plain words, from its status and (XML) body.
 * Works for any operation; `context` sharpens the wording (an upload's signature
 * error is usually a Content-Type mismatch, a download's an altered URL).
 */
export function explainS3Error(status: number, body?: string, context: S3ErrorContext = {}): S3ErrorReport {
  const full: Required<S3ErrorContext> = { operation: context.operation ?? 'request', presigned: context.presigned ?? true };
  const parsed = parseS3ErrorBody(body);
  let explanation: Explanation;
  if (parsed?.code && explainers[parsed.code]) {
    explanation = explainers[parsed.code](parsed, full);
  } else if (parsed && isExpiredMessage(parsed.message) && status === 403) {
    explanation = expiredExplanation(parsed, full);
  } else {
    explanation = explainStatus(status, full);
  }
  return {
    status,
    kind: explanation.kind,
    code: parsed?.code,
    s3Message: parsed?.message,
    requestId: parsed?.requestId,
    summary: explanation.summary,
    hint: explanation.hint,
    fields: parsed?.fields ?? {},
  };
}

/**
 * One line for a log, a notification or stderr:
 * `summary hint (S3: 403 Code: message; request id R)`. Contains no URL.
 */
export function formatS3Error(report: S3ErrorReport): string {
  const s3Part = [report.code, report.s3Message].filter(Boolean).join(': ');
  const detail = [`${report.status}${s3Part ? ` ${s3Part}` : ''}`, report.requestId ? `request id ${report.requestId}` : undefined]
    .filter(Boolean)
    .join('; ');
  return [report.summary, report.hint, `(S3: ${detail})`].filter(Boolean).join(' ');
}
