import { parseEventJson } from '../eventJson';
import { isObject, type JsonObject } from './fields';

/** The message types SNS posts to an HTTP(S) endpoint (FORMATS.md §4). */
export type SnsMessageType = 'SubscriptionConfirmation' | 'Notification' | 'UnsubscribeConfirmation';

/** An SNS HTTP message body, type-checked: every value is a string as SNS sends it. */
export interface SnsMessage {
  Type: SnsMessageType;
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: string;
  Signature: string;
  SigningCertURL: string;
  Subject?: string;
  Token?: string;
  SubscribeURL?: string;
  UnsubscribeURL?: string;
}

const snsTypes = new Set<string>(['SubscriptionConfirmation', 'Notification', 'UnsubscribeConfirmation']);

const alwaysSigned = ['MessageId', 'TopicArn', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL'] as const;
const confirmationSigned = ['Token', 'SubscribeURL'] as const;
const optional = ['Subject', 'Token', 'SubscribeURL', 'UnsubscribeURL'] as const;

/** A body that claims to be an SNS message: the message, or why it cannot be one. */
export type SnsRead = { ok: true; message: SnsMessage } | { ok: false; type: SnsMessageType; reason: string };

/**
 * Reads an SNS message. Undefined when the body does not claim to be one: SNS
 * bodies have a known `Type` and a `Signature` or `SigningCertURL` (a VK Cloud
 * confirmation also says `Type: SubscriptionConfirmation` but has neither).
 * A body that claims to be one but has a field missing or of the wrong type
 * (SNS sends only strings) is `ok: false` with the reason: invalid, never
 * verified, never thrown on.
 */
export function readSnsMessage(body: unknown): SnsRead | undefined {
  if (!isObject(body) || typeof body.Type !== 'string' || !snsTypes.has(body.Type)) {
    return undefined;
  }
  if (body.Signature === undefined && body.SigningCertURL === undefined) {
    return undefined;
  }
  const type = body.Type as SnsMessageType;
  const required = type === 'Notification' ? alwaysSigned : [...alwaysSigned, ...confirmationSigned];
  const problems: string[] = [];
  for (const name of required) {
    if (typeof body[name] !== 'string') {
      problems.push(`${name} is ${describeType(body[name])}`);
    }
  }
  for (const name of optional) {
    const v = body[name];
    if (v !== undefined && v !== null && typeof v !== 'string') {
      problems.push(`${name} is ${describeType(v)}`);
    }
  }
  if (problems.length > 0) {
    return { ok: false, type, reason: `not a valid SNS message: ${problems.join(', ')} (SNS sends every field as a string)` };
  }
  const message: JsonObject = {};
  for (const name of [...alwaysSigned, ...optional]) {
    if (typeof body[name] === 'string') {
      message[name] = body[name];
    }
  }
  message.Type = type;
  return { ok: true, message: message as unknown as SnsMessage };
}

function describeType(value: unknown): string {
  if (value === undefined) {
    return 'missing';
  }
  if (value === null) {
    return 'null';
  }
  const type = Array.isArray(value) ? 'array' : typeof value;
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

/** True when a body is a valid SNS message (see {@link readSnsMessage}). */
export function isSnsMessage(body: unknown): body is SnsMessage {
  return readSnsMessage(body)?.ok === true;
}

/**
 * The JSON inside a Notification's `Message` string (an S3 event, or any event
 * with URLs), parsed with the same depth limit as a request body; undefined for
 * plain-text messages.
 */
export function snsMessageJson(message: string): unknown {
  if (!/^\s*[[{]/.test(message)) {
    return undefined;
  }
  const parsed = parseEventJson(message);
  return parsed.ok ? parsed.value : undefined;
}
