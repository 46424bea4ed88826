import { isUtf8 } from 'node:buffer';
import { confirmationAnswer } from '../confirmation/answer';
import { confirmationSignature } from '../confirmation/signature';
import { signedUrlFor } from '../confirmation/signedUrl';
import { parseJsonBody } from '../events';
import type { SnsMessage, SnsVerification } from '../sns/snsMessage';
import { classifyJson } from './classify';
import { isJsonContentType } from './contentTypes';
import { eventRecord, type WebhookEvent, type WebhookEventKind } from './webhookEvent';

/**
 * What the listener answers a request, and what its event records: decided
 * here without any I/O (no sockets, no files), so every rule is unit-tested
 * with plain values. Each function takes the event as received so far and
 * returns a new one with the decision filled in; the listener stores that
 * event and only then sends the answer.
 */

/** An HTTP answer: status and JSON body. */
export interface Answer {
  status: number;
  body: string;
  /** Close the connection after answering (the client may still be sending a body we refused). */
  close?: boolean;
}

/** The settings the answers depend on. */
export interface AnswerSettings {
  /** Status for ordinary events (not confirmations, malformed or too large). */
  answerStatus: number;
  /** The URL the provider calls, for VK confirmation signatures (see {@link signedUrlFor}). */
  publicUrl?: string;
}

/** A decided request: store `event`, then answer. `warning` is for the log. */
export interface Decision {
  event: WebhookEvent;
  answer: Answer;
  warning?: string;
}

/** An SNS message whose signature must be checked before it can be answered ({@link decideSns}). */
export interface SnsPending {
  event: WebhookEvent;
  sns: SnsMessage;
  kind: WebhookEventKind;
}

/** The answer when the body or the event could not be written: 5xx, so the provider retries. */
export function storeFailedAnswer(what: 'body' | 'event'): Answer {
  return { status: 500, body: JSON.stringify({ error: `the listener could not store the ${what}` }), close: true };
}

/**
 * The answer for an ordinary event: `{"received": id}` on 2xx, else the
 * configured status with a reason. Takes `event` over (every caller passes one
 * it has just built): the listener decides every request it receives, and a
 * copy per step was a measurable part of each request's cost.
 */
function ordinary(event: WebhookEvent, status: number): Decision {
  event.status = status;
  if (status >= 200 && status < 300) {
    // The id is a UUID: nothing in it needs escaping.
    return { event, answer: { status, body: `{"received":"${event.id}"}` } };
  }
  const body = JSON.stringify({ error: `answering ${status} as configured` });
  event.answer = body;
  return { event, answer: { status, body } };
}

/**
 * A body that could not be read (a reader threw on it): stored as malformed
 * with the reason and answered 400, so that nothing a sender writes can leave
 * a request without an answer or a history line.
 */
export function decideUnreadable(event: WebhookEvent, buffer: Buffer, reason: string): Decision {
  const error = `The body could not be read: ${reason}`;
  const body = JSON.stringify({ error });
  return {
    event: { ...event, body: bodyRecord(buffer), kind: 'malformed', label: 'Unreadable event', error, status: 400 },
    answer: { status: 400, body },
    warning: `${event.method} ${event.path}: ${error}`,
  };
}

/**
 * The answer when no decision was stored within the deadline: 503 so that the
 * provider sends it again; the event, if it is stored later, says so.
 */
export function lateAnswer(deadlineMs: number): Answer {
  return { status: 503, body: JSON.stringify({ error: `the listener could not store this request within ${deadlineMs} ms; send it again` }), close: true };
}

/** The event as stored after {@link lateAnswer} was sent in its place. */
export function answeredLate(event: WebhookEvent, answer: Answer, deadlineMs: number): WebhookEvent {
  return {
    ...event,
    status: answer.status,
    answer: answer.body,
    warnings: [...(event.warnings ?? []), `answered ${answer.status} after ${deadlineMs} ms: deciding or storing took longer; the provider may send it again`],
  };
}

function bodyRecord(buffer: Buffer): WebhookEvent['body'] {
  return isUtf8(buffer) ? { size: buffer.length, text: buffer.toString('utf8') } : { size: buffer.length, base64: buffer.toString('base64') };
}

/** A body whose received file could not be written: recorded as dropped, with the reason, and answered 500. */
export function decideBodyNotStored(event: WebhookEvent, received: number, reason: string): Decision {
  const error = `The body could not be stored: ${reason}`;
  const answer = storeFailedAnswer('body');
  return {
    event: { ...event, body: { size: received, dropped: true }, kind: 'file', label: `${event.method} body not stored`, error, status: answer.status, answer: answer.body },
    answer,
  };
}

/** A body over the limit (declared, or counted while it arrived): 413, recorded as dropped. */
export function decideTooLarge(event: WebhookEvent, declared: number | undefined, limit: number): Decision {
  const reason = `the body is larger than the listener's limit of ${limit} bytes`;
  const body = JSON.stringify({ error: reason });
  return {
    event: {
      ...event,
      body: { size: declared ?? limit, dropped: true },
      kind: 'tooLarge',
      label: `${event.method} body over the limit`,
      status: 413,
      answer: body,
      error: reason,
    },
    answer: { status: 413, body, close: true },
  };
}

/** A body that was written to a received file. */
export function decideFile(event: WebhookEvent, file: { size: number; file?: string; sha256: string }, contentType: string | undefined, settings: AnswerSettings): Decision {
  return ordinary(
    {
      ...event,
      body: { size: file.size, file: file.file, sha256: file.sha256 },
      kind: 'file',
      label: `${event.method} ${event.path.split('/').filter(Boolean).pop() ?? contentType ?? 'body'}`,
    },
    settings.answerStatus,
  );
}

/**
 * A body held in memory: parse and classify it. SNS messages come back as
 * {@link SnsPending} (their signature is checked first); everything else is decided.
 * `rawUrl` is the request target (path and query), for VK confirmation signatures.
 */
export function decideInline(event: WebhookEvent, buffer: Buffer, contentType: string | undefined, rawUrl: string, settings: AnswerSettings): Decision | SnsPending {
  const body = bodyRecord(buffer);
  const text = body.text;
  const textual = text !== undefined;
  // The one copy of the event this request makes; the steps below fill it in.
  const record = eventRecord(event);
  record.body = body;
  if (buffer.length === 0) {
    record.label = `${event.method} (empty body)`;
    return ordinary(record, settings.answerStatus);
  }
  const first = text === undefined ? '' : text.charCodeAt(0) <= 32 ? text.trimStart().charAt(0) : text.charAt(0);
  if (text === undefined || !(first === '{' || first === '[' || isJsonContentType(contentType))) {
    record.label = `${event.method} ${textual ? 'text' : 'binary'} body`;
    return ordinary(record, settings.answerStatus);
  }
  // Depth-limited: a body nested tens of thousands deep is refused here, not printed later by a view.
  const parsed = parseJsonBody(text);
  if (!parsed.ok) {
    const reason = parsed.error.message;
    const body = JSON.stringify({ error: reason });
    return { event: { ...record, kind: 'malformed', label: 'Malformed JSON', error: reason, status: 400 }, answer: { status: 400, body } };
  }
  const value = parsed.value;
  const c = classifyJson(value, event.headers['x-amz-sns-message-type'], text);
  record.kind = c.kind;
  record.label = c.label;
  if (c.dedupeKeys.length > 0) {
    record.dedupeKeys = c.dedupeKeys;
  }
  if (c.fileReferences > 0) {
    record.fileReferences = c.fileReferences;
  }
  if (c.warnings) {
    record.warnings = [...(record.warnings ?? []), ...c.warnings];
  }
  if (c.sns) {
    return { event: record, sns: c.sns, kind: c.kind };
  }
  if (c.kind === 'vkConfirmation' && c.confirmation) {
    const signed = signedUrlFor(settings.publicUrl, { url: rawUrl, headers: event.headers });
    const answer = confirmationAnswer(confirmationSignature({ ...c.confirmation, url: signed.url }));
    const confirmed: WebhookEvent = { ...record, signedUrl: signed.url, answer, status: 200 };
    if (signed.fromSetting) {
      return { event: confirmed, answer: { status: 200, body: answer } };
    }
    const warning =
      `No public URL is configured: the confirmation was signed over the URL this request arrived at (${signed.url}). ` +
      'The provider signs over the URL registered in its configuration; set the public URL (the tunnel address) if they differ.';
    return { event: { ...confirmed, warnings: [...(confirmed.warnings ?? []), warning] }, answer: { status: 200, body: answer }, warning };
  }
  return ordinary(record, settings.answerStatus);
}

/**
 * An SNS message once its signature was checked: 403 when it does not verify;
 * a verified SubscriptionConfirmation is answered 200 (`confirm`: it may be
 * confirmed now); other messages get the ordinary answer.
 */
export function decideSns(pending: SnsPending, check: SnsVerification, settings: AnswerSettings): Decision & { confirm: boolean } {
  const { sns, kind } = pending;
  const event: WebhookEvent = {
    ...pending.event,
    sns: { verified: check.ok, messageId: sns.MessageId, topicArn: sns.TopicArn, ...(check.ok ? {} : { reason: check.reason }) },
  };
  if (!check.ok) {
    const body = JSON.stringify({ error: `SNS signature not verified: ${check.reason}` });
    return { event: { ...event, answer: body, status: 403 }, answer: { status: 403, body }, warning: `SNS ${sns.Type} ${sns.MessageId} rejected: ${check.reason}`, confirm: false };
  }
  if (kind !== 'snsSubscriptionConfirmation') {
    return { ...ordinary(event, settings.answerStatus), confirm: false };
  }
  const body = JSON.stringify({ received: event.id });
  return { event: { ...event, answer: body, status: 200 }, answer: { status: 200, body }, confirm: true };
}
