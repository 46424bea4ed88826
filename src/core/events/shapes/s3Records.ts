import { isoOrRaw } from './eventTime';
import { decodeNotificationKey, field, isObject, objectField, sizeField, stripQuotes, textField, type JsonObject } from './fields';

/** What an event says about the file it names, besides where it is (every text field a string). */
export interface EventFacts {
  region?: string;
  /** Event id (Klavi `eventId`, S3 `x-amz-request-id`/sequencer, EventBridge `id`, VoiceBase `mediaId`). */
  eventId?: string;
  /** Event time, ISO 8601 when it parses, else as the event gives it. */
  eventTime?: string;
  /** Event name or type (`analysis finished`, `s3:ObjectCreated:Put`, `Object Created`, stream name). */
  eventName?: string;
  /** Object size in bytes, when the event says. */
  size?: number;
  /** ETag without quotes, when the event says. */
  etag?: string;
  versionId?: string;
}

/** The object an S3 event names (an S3 notification record or an EventBridge S3 event's `detail`). */
export interface S3ObjectEvent extends EventFacts {
  bucket: string;
  /** Key decoded (notifications URL-encode keys, with `+` for space). */
  key: string;
  /** Key as the event sent it: part of S3's redelivery identity. */
  rawKey: string;
  /** S3's per-key ordering token (notifications only). */
  sequencer?: string;
}

/** Reads one S3 notification record (`s3.bucket.name`, `s3.object.key`); undefined when it is not one. */
export function readS3Record(record: unknown): S3ObjectEvent | undefined {
  if (!isObject(record)) {
    return undefined;
  }
  const s3 = objectField(record, 's3');
  const bucket = textField(objectField(s3, 'bucket'), 'name');
  const object = objectField(s3, 'object');
  const rawKey = textField(object, 'key');
  if (!bucket || rawKey === undefined) {
    return undefined;
  }
  const sequencer = textField(object, 'sequencer');
  return {
    bucket,
    key: decodeNotificationKey(rawKey),
    rawKey,
    region: textField(record, 'awsRegion'),
    eventId: textField(objectField(record, 'responseElements'), 'x-amz-request-id') ?? sequencer,
    eventTime: isoOrRaw(textField(record, 'eventTime')),
    eventName: textField(record, 'eventName'),
    size: sizeField(object, 'size'),
    etag: stripQuotes(textField(object, 'eTag')),
    versionId: textField(object, 'versionId'),
    sequencer,
  };
}

/** An S3 notification: the `Records` array, each entry read (undefined for entries that are not S3 records). */
export interface S3Notification {
  /** The real name of the `Records` field. */
  field: string;
  records: (S3ObjectEvent | undefined)[];
  /** Each entry's `eventName`, S3 record or not (for labels). */
  eventNames: (string | undefined)[];
}

/** Reads `{ "Records": [...] }`; undefined unless `Records` is an array. */
export function readS3Notification(value: JsonObject): S3Notification | undefined {
  const records = field(value, 'Records');
  if (!records || !Array.isArray(records.value)) {
    return undefined;
  }
  const entries: unknown[] = records.value;
  return {
    field: records.name,
    records: entries.map(readS3Record),
    eventNames: entries.map((r) => (isObject(r) ? textField(r, 'eventName') : undefined)),
  };
}

/** `s3:<bucket>/<key>@<sequencer>` for each record that has a sequencer: S3's own redelivery identity. */
export function s3RedeliveryKeys(notification: S3Notification): string[] {
  return notification.records.flatMap((r) => (r?.sequencer !== undefined ? [`s3:${r.bucket}/${r.rawKey}@${r.sequencer}`] : []));
}

/** "ObjectCreated:Put", "ObjectCreated:Put (+2 more)", "S3 event". */
export function s3NotificationLabel(notification: S3Notification): string {
  const names = notification.eventNames;
  const first = names.find((n) => n !== undefined) ?? 'S3 event';
  return names.length > 1 ? `${first} (+${names.length - 1} more)` : first;
}
