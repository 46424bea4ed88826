import { confirmationFieldsFrom, type ConfirmationRequestFields } from '../confirmation/signature';
import { summarizeEvent } from '../events';
import { isSnsMessage, unwrapS3Records, type SnsMessage } from '../sns/snsMessage';
import type { WebhookEventKind } from './webhookEvent';

/** What a parsed JSON body is, and what the listener needs to answer it. */
export interface Classification {
  kind: WebhookEventKind;
  /** Event name or type, for the tree label. */
  label: string;
  /** Provider identities for spotting redeliveries. */
  dedupeKeys: string[];
  /** File references the body holds (the fetch recogniser's count). */
  fileReferences: number;
  /** Set for SNS kinds: the message to verify. */
  sns?: SnsMessage;
  /** Set for a VK confirmation: the signed fields other than the URL. */
  confirmation?: ConfirmationRequestFields;
  /** Why a body that nearly matched a shape was not taken as it. */
  warnings?: string[];
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `key` is `wanted` (lower case, no `_`/`-`) ignoring case, `_` and `-`: the recogniser's field matching, without allocating. */
function sameField(key: string, wanted: string): boolean {
  let j = 0;
  for (let i = 0; i < key.length; i++) {
    let c = key.charCodeAt(i);
    if (c === 95 || c === 45) {
      continue;
    }
    if (c >= 65 && c <= 90) {
      c += 32;
    }
    if (j >= wanted.length || c !== wanted.charCodeAt(j)) {
      return false;
    }
    j++;
  }
  return j === wanted.length;
}

/** The top-level fields a Klavi-style event is told by. */
function klaviFields(value: JsonObject): { eventId?: string; eventName?: string; eventType?: string; payload: boolean } {
  const found: { eventId?: string; eventName?: string; eventType?: string; payload: boolean } = { payload: false };
  for (const key in value) {
    if (found.eventId === undefined && sameField(key, 'eventid')) {
      found.eventId = asText(value[key]);
    } else if (found.eventName === undefined && sameField(key, 'eventname')) {
      found.eventName = asText(value[key]);
    } else if (found.eventType === undefined && sameField(key, 'eventtype')) {
      found.eventType = asText(value[key]);
    } else if (!found.payload && sameField(key, 'payload')) {
      found.payload = value[key] !== undefined;
    }
  }
  return found;
}

/**
 * Whether a body's text can hold a file reference at all: the recogniser only
 * finds http(s) URLs, S3 `Records` and EventBridge `detail`. Skipping it for
 * bodies without those words keeps the listener's per-event cost low. Text with
 * `\u` escapes is always handed to the recogniser.
 */
export function mayReferenceFiles(text: string): boolean {
  return /https?:|records|detail|\\u/i.test(text);
}

const noReferences: ReturnType<typeof summarizeEvent> = { kind: 'none', references: [] };

function asText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** `s3:<bucket>/<key>@<sequencer>` for each S3 record that has a sequencer: S3's own redelivery identity. */
function s3RecordKeys(records: unknown[]): string[] {
  const keys: string[] = [];
  for (const record of records) {
    const s3 = isObject(record) && isObject(record.s3) ? record.s3 : undefined;
    const bucket = s3 && isObject(s3.bucket) ? asText(s3.bucket.name) : undefined;
    const object = s3 && isObject(s3.object) ? s3.object : undefined;
    const key = object ? asText(object.key) : undefined;
    const sequencer = object ? asText(object.sequencer) : undefined;
    if (bucket !== undefined && key !== undefined && sequencer !== undefined) {
      keys.push(`s3:${bucket}/${key}@${sequencer}`);
    }
  }
  return keys;
}

function recordsLabel(names: (string | undefined)[]): string {
  const first = names.find((n) => n !== undefined) ?? 'S3 event';
  return names.length > 1 ? `${first} (+${names.length - 1} more)` : first;
}

function recordNames(records: unknown[]): (string | undefined)[] {
  return records.map((r) => (isObject(r) ? asText(r.eventName) : undefined));
}

/**
 * Classifies a parsed JSON body. SNS messages are told apart from VK Cloud
 * confirmations by their signature fields (both say `Type:
 * SubscriptionConfirmation`); S3 records and Klavi events are recognised by the
 * fetch recogniser (`summarizeEvent`), which also counts file references.
 */
export function classifyJson(value: unknown, messageTypeHeader?: string, text?: string): Classification {
  const summary = text === undefined || mayReferenceFiles(text) ? summarizeEvent(value) : noReferences;
  const fileReferences = summary.references.length;

  if (isSnsMessage(value)) {
    const kind: WebhookEventKind =
      value.Type === 'Notification' ? 'snsNotification' : value.Type === 'SubscriptionConfirmation' ? 'snsSubscriptionConfirmation' : 'snsUnsubscribeConfirmation';
    const dedupeKeys = [`sns:${value.MessageId}`];
    let label: string = value.Type;
    const inner = unwrapS3Records(value);
    if (inner) {
      dedupeKeys.push(...s3RecordKeys(inner.Records));
      label = `${recordsLabel(recordNames(inner.Records))} via SNS`;
    } else if (value.Subject) {
      label = value.Subject;
    }
    return { kind, label, dedupeKeys, fileReferences, sns: value };
  }

  if (isObject(value)) {
    const type = asText(value.Type) ?? messageTypeHeader;
    if (type === 'SubscriptionConfirmation') {
      const fields = confirmationFieldsFrom(value);
      if ('fields' in fields) {
        return {
          kind: 'vkConfirmation',
          label: 'SubscriptionConfirmation',
          dedupeKeys: [`confirmation:${fields.fields.token}`],
          fileReferences,
          confirmation: fields.fields,
        };
      }
      return {
        kind: 'unknown',
        label: 'SubscriptionConfirmation (incomplete)',
        dedupeKeys: [],
        fileReferences,
        warnings: [`Looks like a subscription confirmation but has no ${fields.missing.join(', ')}: not answered with a signature.`],
      };
    }
  }

  if (summary.kind === 's3-records' && isObject(value) && Array.isArray(value.Records)) {
    return { kind: 's3Records', label: recordsLabel(recordNames(value.Records)), dedupeKeys: s3RecordKeys(value.Records), fileReferences };
  }

  const fields = isObject(value) ? klaviFields(value) : undefined;
  const eventId = fields?.eventId;
  const dedupeKeys = eventId !== undefined ? [`event:${eventId}`] : [];
  const eventName = fields?.eventName ?? fields?.eventType;
  // Klavi: recognised by its file reference, or (events without a file) by eventId + eventType/eventName + payload.
  if (summary.kind === 'klavi' || (eventId !== undefined && eventName !== undefined && fields?.payload)) {
    return { kind: 'klavi', label: summary.eventName ?? eventName ?? 'Klavi event', dedupeKeys, fileReferences };
  }

  const type = isObject(value) ? asText(value.Type) : undefined;
  const label = summary.eventName ?? eventName ?? type ?? (Array.isArray(value) ? 'JSON array' : 'JSON event');
  return { kind: 'unknown', label, dedupeKeys, fileReferences };
}
