import { earliestExpiry, inspectPresignedUrl, locateS3Object } from '../url/presignedUrl';
import { isoOf } from './shapes/eventTime';
import type { JsonPath } from './shapes/fields';
import type { ReferenceShape } from './shapes/kinds';
import type { EventFacts, S3ObjectEvent } from './shapes/s3Records';

/**
 * One file an event points at, with everything the event says about it. Plain
 * JSON (dates as ISO strings) so it can be stored, posted or printed as is.
 * Either `url` (GET it) or `bucket` + `key` (fetch through the SDK) is set.
 * Every text field is a string whatever the event held.
 */
export interface FileReference extends EventFacts {
  shape: ReferenceShape;
  /** The URL to GET. A bearer credential when presigned: display {@link FileReference.redactedUrl} instead. */
  url?: string;
  /** The URL with signature, credential and security token hidden. */
  redactedUrl?: string;
  /** Bucket, from the event or decoded from the URL. */
  bucket?: string;
  /** Object key, decoded (S3 notifications URL-encode keys, with `+` for space). */
  key?: string;
  /** A file name to save under, before sanitising (the key's last segment, else a name built from the event). */
  suggestedName: string;
  /** When the link dies: the earlier of the URL's own expiry and the event's rule (ISO 8601). */
  expiresAt?: string;
  /** Where {@link FileReference.expiresAt} comes from, in words ("X-Amz-Date + X-Amz-Expires", "one day after eventTime"). */
  expirySource?: string;
  /** Why the URL's own expiry could not be read (an absurd `X-Amz-Expires`, an impossible `X-Amz-Date`). */
  expiryProblem?: string;
  /** Where the reference sits in the document (for SNS-wrapped events, the path of the `Message` string). */
  jsonPath: JsonPath;
  /** One line for lists and pickers: the file name and where it comes from, no secrets. */
  label: string;
}

function baseName(path: string | undefined): string | undefined {
  const last = path?.split('/').filter(Boolean).pop();
  return last && last.trim() !== '' ? last : undefined;
}

const shapeWords: Record<ReferenceShape, string> = {
  klavi: 'Klavi event',
  voicebase: 'VoiceBase stream',
  s3Records: 'S3 notification',
  snsS3Records: 'S3 notification via SNS',
  eventBridgeS3: 'EventBridge S3 event',
  presignedUrl: 'presigned URL',
};

function labelFor(ref: FileReference): string {
  const where = ref.url ? shapeWords[ref.shape] : `${shapeWords[ref.shape]}, s3://${ref.bucket}/${ref.key}`;
  return `${ref.suggestedName} (${where}${ref.eventName ? `, ${ref.eventName}` : ''})`;
}

export interface UrlReferenceInput {
  shape: ReferenceShape;
  url: string;
  jsonPath: JsonPath;
  eventId?: string;
  eventTime?: string;
  eventName?: string;
  /** Expiry the event's own rule gives (Klavi: one day after eventTime). */
  ruleExpiry?: Date;
  ruleSource?: string;
  fallbackName?: string;
}

/** A reference to a URL: bucket, key, region and expiry read off the URL, the event's own expiry rule applied. */
export function urlReference(input: UrlReferenceInput): FileReference {
  const url = input.url.trim();
  const info = inspectPresignedUrl(url);
  let { bucket, key, region } = info ?? {};
  if (!info) {
    try {
      ({ bucket, key, region } = locateS3Object(new URL(url)));
    } catch {
      // Not a URL we can take apart: the name falls back below.
    }
  }
  const expiresAt = earliestExpiry(info?.expiresAt, input.ruleExpiry);
  let expirySource: string | undefined;
  if (expiresAt) {
    expirySource =
      expiresAt === input.ruleExpiry ? input.ruleSource : info?.signatureVersion === 'v2' ? 'the URL (Expires)' : 'the URL (X-Amz-Date + X-Amz-Expires)';
  }
  const ref: FileReference = {
    shape: input.shape,
    url,
    redactedUrl: info?.redacted ?? url,
    bucket,
    key,
    region,
    eventId: input.eventId,
    eventTime: input.eventTime,
    eventName: input.eventName,
    suggestedName: baseName(key) ?? input.fallbackName ?? 'download',
    expiresAt: isoOf(expiresAt),
    expirySource: isoOf(expiresAt) ? expirySource : undefined,
    ...(info?.expiryProblem ? { expiryProblem: info.expiryProblem } : {}),
    jsonPath: input.jsonPath,
    label: '',
  };
  ref.label = labelFor(ref);
  return ref;
}

/** A reference to an S3 object named by an event (no URL: fetched through the SDK). */
export function objectReference(event: S3ObjectEvent, shape: ReferenceShape, jsonPath: JsonPath): FileReference {
  const ref: FileReference = {
    shape,
    bucket: event.bucket,
    key: event.key,
    region: event.region,
    eventId: event.eventId,
    eventTime: event.eventTime,
    eventName: event.eventName,
    size: event.size,
    etag: event.etag,
    versionId: event.versionId,
    suggestedName: baseName(event.key) ?? 'download',
    jsonPath,
    label: '',
  };
  ref.label = labelFor(ref);
  return ref;
}
