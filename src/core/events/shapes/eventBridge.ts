import { isoOrRaw } from './eventTime';
import { decodeNotificationKey, field, isObject, objectField, sizeField, stripQuotes, textField, type JsonObject } from './fields';
import type { S3ObjectEvent } from './s3Records';

/**
 * Reads an EventBridge S3 event, `{ source: "aws.s3", detail: { bucket: { name }, object: { key } } }`
 * (`source` may be left out). Returns the object and the real name of `detail`.
 */
export function readEventBridgeS3(value: JsonObject): (S3ObjectEvent & { detailField: string }) | undefined {
  const detailField = field(value, 'detail');
  const source = textField(value, 'source');
  if (!detailField || !isObject(detailField.value) || (source !== undefined && source !== 'aws.s3')) {
    return undefined;
  }
  const detail = detailField.value;
  const bucket = textField(objectField(detail, 'bucket'), 'name');
  const object = objectField(detail, 'object');
  const rawKey = textField(object, 'key');
  if (!bucket || rawKey === undefined) {
    return undefined;
  }
  return {
    detailField: detailField.name,
    bucket,
    key: decodeNotificationKey(rawKey),
    rawKey,
    region: textField(value, 'region'),
    eventId: textField(value, 'id'),
    eventTime: isoOrRaw(textField(value, 'time')),
    eventName: textField(value, 'detail-type'),
    size: sizeField(object, 'size'),
    etag: stripQuotes(textField(object, 'etag')),
    versionId: textField(object, 'version-id'),
    sequencer: textField(object, 'sequencer'),
  };
}
