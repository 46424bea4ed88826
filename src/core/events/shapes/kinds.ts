/**
 * The one list of event kinds. A file reference's `shape` and a received
 * event's `kind` use the same names for the same wire format (`s3Records`,
 * `klavi`), so the fetch recogniser and the listener never disagree on spelling.
 */

/**
 * Which wire format a file reference was found in:
 * - `klavi`: a Klavi-style event (`payload.presignedUrl`, URL valid one day after `eventTime`);
 * - `voicebase`: a VoiceBase v3 result's `streams[].streamLocation`;
 * - `s3Records`: an S3 notification (`Records[].s3.bucket.name` / `.object.key`), no URL;
 * - `snsS3Records`: the same, delivered as an SNS `Notification` whose `Message` is the JSON;
 * - `eventBridgeS3`: an EventBridge S3 event (`detail.bucket.name` / `detail.object.key`), no URL;
 * - `presignedUrl`: any other string value that is a presigned URL (SigV4 or SigV2).
 */
export type ReferenceShape = 'klavi' | 'voicebase' | 's3Records' | 'snsS3Records' | 'eventBridgeS3' | 'presignedUrl';

export const referenceShapes: readonly ReferenceShape[] = ['klavi', 'voicebase', 's3Records', 'snsS3Records', 'eventBridgeS3', 'presignedUrl'];

/**
 * What the listener recognised a request as. Decides how it was answered and
 * the icon it gets in the tree.
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
  | Extract<ReferenceShape, 's3Records'>
  /** A Klavi-style vendor event (`eventId`, `eventType`, `payload`…). */
  | Extract<ReferenceShape, 'klavi'>
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

/** Spellings stored by earlier versions (Recent Downloads entries, `fetch --json` output kept by scripts). */
const earlierShapes: Record<string, ReferenceShape> = {
  's3-records': 's3Records',
  'sns-s3-records': 'snsS3Records',
  'eventbridge-s3': 'eventBridgeS3',
  'presigned-url': 'presignedUrl',
};

/** A stored reference shape, old spellings mapped to today's; undefined when it is none of them. */
export function readReferenceShape(stored: unknown): ReferenceShape | undefined {
  if (typeof stored !== 'string') {
    return undefined;
  }
  return (referenceShapes as readonly string[]).includes(stored) ? (stored as ReferenceShape) : earlierShapes[stored];
}

/** A stored event kind; an unknown value (a newer or damaged history line) reads as `unknown`. */
export function readWebhookEventKind(stored: unknown): WebhookEventKind {
  return typeof stored === 'string' && (webhookEventKinds as readonly string[]).includes(stored) ? (stored as WebhookEventKind) : 'unknown';
}
