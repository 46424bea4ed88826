import { findFileReferences, parseEventJson, type FileReference } from '../events';
import type { AppAnswer } from '../forward';
import type { SignatureVerdict } from '../webhookSignatures';

/**
 * What the listener recognised a request as. Decides how it was answered
 * (see `answerFor` in webhookListener.ts) and the icon it gets in the tree.
 */
export type WebhookEventKind =
  /** VK Cloud / LinxCloud / Hotbox bucket-webhook confirmation: answered with `{"signature":…}`. */
  | 'vkConfirmation'
  /** AWS SNS `SubscriptionConfirmation` (signed; carries a SubscribeURL). */
  | 'snsSubscriptionConfirmation'
  /** AWS SNS `Notification` (signed); `Message` may hold S3 `Records`. */
  | 'snsNotification'
  /** AWS SNS `UnsubscribeConfirmation` (signed). */
  | 'snsUnsubscribeConfirmation'
  /** An S3-style bucket notification (`{"Records":[…]}`). */
  | 's3Records'
  /** A Klavi-style vendor event (`eventId`, `eventType`, `payload`…). */
  | 'klavi'
  /** Valid JSON of no known shape, or a small text body. */
  | 'unknown'
  /** A JSON body that does not parse: kept, flagged, answered 400. */
  | 'malformed'
  /** A non-JSON or large body, streamed to a file in the received-files folder. */
  | 'file'
  /** A body over the size limit: answered 413, body not kept. */
  | 'tooLarge';

/** Every kind, in the order menus list them. */
export const webhookEventKinds: readonly WebhookEventKind[] = [
  'vkConfirmation',
  'snsSubscriptionConfirmation',
  'snsNotification',
  'snsUnsubscribeConfirmation',
  's3Records',
  'klavi',
  'unknown',
  'malformed',
  'file',
  'tooLarge',
];

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

const secretHeaderPattern = /authorization|cookie|token|secret|signature|password|passwd|api-?key|credential|session/i;

/** Headers kept verbatim even though their name matches the secret pattern (they carry no secret). */
const harmlessHeaders = new Set(['x-amz-sns-message-type']);

/** Whether a header's value should be hidden wherever it is stored or shown. */
export function isSecretHeader(name: string): boolean {
  // The same few header names arrive with every request: remember the verdicts (bounded).
  let secret = verdicts.get(name);
  if (secret === undefined) {
    const lower = name.toLowerCase();
    secret = !harmlessHeaders.has(lower) && secretHeaderPattern.test(lower);
    if (verdicts.size > 1000) {
      verdicts.clear();
    }
    verdicts.set(name, secret);
  }
  return secret;
}

const verdicts = new Map<string, boolean>();

/**
 * Copies request headers (Node's lower-cased `IncomingHttpHeaders`), joining
 * repeated values with `, ` and replacing credential-like values (Authorization,
 * Cookie, *token*, *signature*, *api-key*, …) with `REDACTED`.
 */
export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) {
      continue;
    }
    out[name] = isSecretHeader(name) ? 'REDACTED' : Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * The same as {@link redactHeaders}, from Node's `rawHeaders` list (name,
 * value, name, value…), without building Node's own headers object first.
 */
export function redactRawHeaders(raw: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    const value = isSecretHeader(name) ? 'REDACTED' : raw[i + 1];
    const earlier = out[name];
    out[name] = earlier === undefined ? value : earlier === 'REDACTED' ? earlier : `${earlier}, ${value}`;
  }
  return out;
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
 * a redelivery (its file was fetched the first time) or an SNS message whose
 * signature did not verify (a forgery could point anywhere).
 */
export function autoFetchSkipReason(event: WebhookEvent): string | undefined {
  if (event.duplicateOf) {
    return `a redelivery of ${event.duplicateOf}`;
  }
  if (event.sns?.verified === false) {
    return 'its SNS signature did not verify';
  }
  return undefined;
}
