import { findFileReferences, parseEventJson, type FileReference } from '../events';
import type { AppAnswer } from '../forward';
import type { SignatureVerdict } from '../webhookSignatures';
import { readWebhookEventKind, type WebhookEventKind } from '../events/shapes/kinds';

// The kinds are listed with the reference shapes, so both spell a wire format the same way.
export { webhookEventKinds, type WebhookEventKind } from '../events/shapes/kinds';

/** A request's body as it was kept. Exactly one of text, base64 or file is set unless the body was empty or not kept. */
export interface WebhookEventBody {
  /** Byte length received. */
  size: number;
  /** The body as UTF-8 text (inline bodies that are valid UTF-8). */
  text?: string;
  /** The body in base64 (inline bodies that are not valid UTF-8). */
  base64?: string;
  /** Absolute path of the received file (bodies streamed to disk). */
  file?: string;
  /** SHA-256 (hex) of a received file's bytes. */
  sha256?: string;
  /** Not kept: over the size limit. */
  dropped?: boolean;
}

/** The outcome of checking an SNS message's signature. */
export interface SnsCheck {
  verified: boolean;
  /** Why verification failed. */
  reason?: string;
  messageId?: string;
  topicArn?: string;
  /** Set on an SNS SubscriptionConfirmation once it was confirmed (or failed to be). */
  subscription?: { confirmedAt?: string; subscriptionArn?: string; error?: string };
}

/**
 * One received request, as persisted (one JSON line in the history file) and
 * shown in the Webhook Events tree. Header values that carry credentials are
 * already redacted.
 */
export interface WebhookEvent {
  /** Listener-assigned unique id. */
  id: string;
  /** ISO 8601 time the request arrived. */
  receivedAt: string;
  method: string;
  /** Path without the query. */
  path: string;
  /** Raw query string without `?` ('' when none). */
  query: string;
  /** Header names in lower case; credential-like values replaced by `REDACTED`. */
  headers: Record<string, string>;
  /** The peer address (a tunnel's, usually 127.0.0.1). */
  remoteAddress?: string;
  body: WebhookEventBody;
  kind: WebhookEventKind;
  /** Short human label: the event name or type ("s3:ObjectCreated:Put", "analysis finished", "SubscriptionConfirmation"). */
  label: string;
  /** HTTP status the listener answered with. */
  status: number;
  /** The answer body, when it says something (the confirmation signature, an error reason). */
  answer?: string;
  /** Provider-level identities (event id, SNS MessageId, S3 bucket/key@sequencer) used to spot redeliveries. */
  dedupeKeys?: string[];
  /** When a provider identity was seen before: the id of the first event that had it. The event is kept regardless. */
  duplicateOf?: string;
  /** How many file references (presigned URLs, S3 objects) the body holds. */
  fileReferences?: number;
  /** VK confirmation: the URL the signature was computed over. */
  signedUrl?: string;
  /** SNS messages: the signature check. */
  sns?: SnsCheck;
  /** Malformed JSON: the parse error with line and column. */
  error?: string;
  /** Things the user should know (the signature was computed over the request URL, …). */
  warnings?: string[];
  /**
   * Sent by a page open in a browser: the `Origin` (else `Sec-Fetch-Site`) it
   * carried. Providers never send these; any web page can POST to 127.0.0.1, so
   * such events are shown but never auto-fetched.
   */
  browserOrigin?: string;
  /** The app under test's answer when the event was forwarded to it (or why it did not answer). */
  forward?: AppAnswer;
  /** Proxy mode: the provider got the app's answer (or 502), not the listener's. */
  proxied?: boolean;
  /** The answer rule that chose the status, as the user wrote it (`/retry/*=503x2`). */
  answeredBy?: string;
  /** The sender's signature, checked with the secret set for the path. */
  signature?: SignatureVerdict;
  /** Proxy mode, VK confirmation: the signature the app should have answered, and whether it did. */
  appConfirmation?: AppConfirmationCheck;
}

/**
 * A copy of an event with every field of {@link WebhookEvent} present (absent
 * ones `undefined`, which JSON leaves out). Every record the listener decides
 * then has one hidden class: filling in its fields is a plain store, where a
 * spread copy that later gains fields made V8 migrate each object to a new
 * shape, a measurable share of the cost of every request.
 */
export function eventRecord(e: WebhookEvent): WebhookEvent {
  return {
    id: e.id,
    receivedAt: e.receivedAt,
    method: e.method,
    path: e.path,
    query: e.query,
    headers: e.headers,
    remoteAddress: e.remoteAddress,
    body: e.body,
    kind: e.kind,
    label: e.label,
    status: e.status,
    answer: e.answer,
    dedupeKeys: e.dedupeKeys,
    duplicateOf: e.duplicateOf,
    fileReferences: e.fileReferences,
    signedUrl: e.signedUrl,
    sns: e.sns,
    error: e.error,
    warnings: e.warnings,
    browserOrigin: e.browserOrigin,
    forward: e.forward,
    proxied: e.proxied,
    answeredBy: e.answeredBy,
    signature: e.signature,
    appConfirmation: e.appConfirmation,
  };
}

/** How the app under test answered a VK confirmation in proxy mode. */
export interface AppConfirmationCheck {
  /** The signature the listener computed over the public URL. */
  expected: string;
  /** The signature the app answered (or its body, when that was not `{"signature":…}`). */
  answered?: string;
  correct: boolean;
}

/** What is recorded on an event after it was stored: the app's answer and the status the provider finally got. */
export type EventUpdate = Partial<Pick<WebhookEvent, 'forward' | 'status' | 'appConfirmation'>>;

/**
 * An event from a history line. Lines written by earlier versions may hold a
 * label that is not a string (an SNS `Subject` taken as is) or a kind this
 * version does not know: both are read as text, so no view breaks on them.
 */
export function readStoredEvent(line: string): WebhookEvent {
  const event = JSON.parse(line) as WebhookEvent;
  if (typeof event.label !== 'string') {
    event.label = typeof event.label === 'number' ? String(event.label) : 'event (its stored label is not text)';
  }
  event.kind = readWebhookEventKind(event.kind);
  return event;
}

/** The body of an event as a Buffer, when it was kept inline. */
export function inlineBody(event: WebhookEvent): Buffer | undefined {
  if (event.body.text !== undefined) {
    return Buffer.from(event.body.text, 'utf8');
  }
  if (event.body.base64 !== undefined) {
    return Buffer.from(event.body.base64, 'base64');
  }
  return undefined;
}

/**
 * The files an event's JSON body points at (the fetch recogniser's references):
 * what Fetch File and auto-fetch download. Empty for bodies that are not JSON.
 */
export function eventFileReferences(event: WebhookEvent): FileReference[] {
  if (event.body.text === undefined || !event.fileReferences) {
    return [];
  }
  const parsed = parseEventJson(event.body.text);
  return parsed.ok ? findFileReferences(parsed.value) : [];
}

/**
 * Why auto-fetch leaves an event alone, or undefined when it should fetch:
 * a redelivery (its file was fetched the first time), an SNS message whose
 * signature did not verify (a forgery could point anywhere), or a request a
 * web page sent.
 */
export function autoFetchSkipReason(event: WebhookEvent): string | undefined {
  if (event.duplicateOf) {
    return `a redelivery of ${event.duplicateOf}`;
  }
  if (event.sns?.verified === false) {
    return 'its SNS signature did not verify';
  }
  if (event.browserOrigin !== undefined) {
    return `it was sent by a web page (${event.browserOrigin}), not a provider`;
  }
  return undefined;
}
