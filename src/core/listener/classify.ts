import { summarizeEvent, type EventSummary } from '../events';
import {
  claimsConfirmation,
  readKlaviIdentity,
  readS3Notification,
  readSnsMessage,
  readVkConfirmation,
  s3NotificationLabel,
  s3RedeliveryKeys,
  snsMessageJson,
  isObject,
  textField,
  type SnsMessage,
  type VkConfirmationFields,
  type WebhookEventKind,
} from '../events/shapes';

/** What a parsed JSON body is, and what the listener needs to answer it. */
export interface Classification {
  kind: WebhookEventKind;
  /** Event name or type, for the tree label. Always a string, whatever the body held. */
  label: string;
  /** Provider identities for spotting redeliveries. */
  dedupeKeys: string[];
  /** File references the body holds (the fetch recogniser's count). */
  fileReferences: number;
  /** Set for SNS kinds: the message to verify (type-checked). */
  sns?: SnsMessage;
  /** Set for a VK confirmation: the signed fields other than the URL. */
  confirmation?: VkConfirmationFields;
  /** Why a body that nearly matched a shape was not taken as it. */
  warnings?: string[];
}

/**
 * Whether a body's text can hold a file reference at all: the recogniser only
 * finds http(s) URLs, S3 `Records` and EventBridge `detail`. Skipping it for
 * bodies without those words keeps the listener's per-event cost low. Text with
 * `\u` escapes is always handed to the recogniser.
 */
export function mayReferenceFiles(text: string): boolean {
  // indexOf on the lower-cased text: a case-insensitive regular expression with alternatives scanned every position.
  const lower = text.toLowerCase();
  return lower.includes('http:') || lower.includes('https:') || lower.includes('records') || lower.includes('detail') || lower.includes('\\u');
}

const noReferences: EventSummary = { references: [] };

const snsKinds: Record<SnsMessage['Type'], WebhookEventKind> = {
  Notification: 'snsNotification',
  SubscriptionConfirmation: 'snsSubscriptionConfirmation',
  UnsubscribeConfirmation: 'snsUnsubscribeConfirmation',
};

function classifySns(message: SnsMessage, fileReferences: number): Classification {
  const dedupeKeys = [`sns:${message.MessageId}`];
  let label: string = message.Type;
  const inner = message.Type === 'Notification' ? snsMessageJson(message.Message) : undefined;
  const records = isObject(inner) ? readS3Notification(inner) : undefined;
  if (records) {
    dedupeKeys.push(...s3RedeliveryKeys(records));
    label = `${s3NotificationLabel(records)} via SNS`;
  } else if (message.Subject) {
    label = message.Subject;
  }
  return { kind: snsKinds[message.Type], label, dedupeKeys, fileReferences, sns: message };
}

/**
 * Classifies a parsed JSON body through the wire-format readers. SNS messages
 * are told apart from VK Cloud confirmations by their signature fields (both
 * say `Type: SubscriptionConfirmation`); an SNS body with wrong-typed fields is
 * `unknown` with a warning, never verified. S3 records and Klavi events are
 * read by their readers; the fetch recogniser counts file references.
 */
export function classifyJson(value: unknown, messageTypeHeader?: string, text?: string): Classification {
  const summary = text === undefined || mayReferenceFiles(text) ? summarizeEvent(value) : noReferences;
  const fileReferences = summary.references.length;

  const sns = readSnsMessage(value);
  if (sns?.ok) {
    return classifySns(sns.message, fileReferences);
  }
  if (sns) {
    return { kind: 'unknown', label: `${sns.type} (invalid)`, dedupeKeys: [], fileReferences, warnings: [`Looks like an SNS ${sns.type} but is ${sns.reason}: not verified, not answered as SNS.`] };
  }

  if (claimsConfirmation(value, messageTypeHeader)) {
    const read = readVkConfirmation(value);
    if ('fields' in read) {
      return { kind: 'vkConfirmation', label: 'SubscriptionConfirmation', dedupeKeys: [`confirmation:${read.fields.token}`], fileReferences, confirmation: read.fields };
    }
    return {
      kind: 'unknown',
      label: 'SubscriptionConfirmation (incomplete)',
      dedupeKeys: [],
      fileReferences,
      warnings: [`Looks like a subscription confirmation but has no ${read.missing.join(', ')}: not answered with a signature.`],
    };
  }

  const object = isObject(value) ? value : undefined;
  const records = object ? readS3Notification(object) : undefined;
  if (records?.records.some((r) => r !== undefined)) {
    return { kind: 's3Records', label: s3NotificationLabel(records), dedupeKeys: s3RedeliveryKeys(records), fileReferences };
  }

  const klavi = object ? readKlaviIdentity(object) : undefined;
  const eventId = klavi ? klavi.eventId : textField(object, 'eventId');
  const dedupeKeys = eventId !== undefined ? [`event:${eventId}`] : [];
  // Klavi: its file reference anywhere in the body, or (events without a file) the event itself.
  if (summary.shape === 'klavi' || klavi) {
    return { kind: 'klavi', label: summary.eventName ?? klavi?.eventName ?? 'Klavi event', dedupeKeys, fileReferences };
  }
  const label = summary.eventName ?? textField(object, 'eventName') ?? textField(object, 'eventType') ?? textField(object, 'Type') ?? (Array.isArray(value) ? 'JSON array' : 'JSON event');
  return { kind: 'unknown', label, dedupeKeys, fileReferences };
}
