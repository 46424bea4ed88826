import { earliestExpiry, inspectPresignedUrl, locateS3Object } from '../url/presignedUrl';
import { parseEventJson, type JsonSyntaxError } from './eventJson';

/**
 * Which shape of event a reference was found in:
 * - `klavi`: a Klavi-style event (`payload.presignedUrl`, URL valid one day after `eventTime`);
 * - `voicebase`: a VoiceBase v3 result's `streams[].streamLocation`;
 * - `s3-records`: an S3 notification (`Records[].s3.bucket.name` / `.object.key`), no URL;
 * - `sns-s3-records`: the same, delivered as an SNS `Notification` whose `Message` is the JSON;
 * - `eventbridge-s3`: an EventBridge S3 event (`detail.bucket.name` / `detail.object.key`), no URL;
 * - `presigned-url`: any other string value that is a presigned URL (SigV4 or SigV2).
 */
export type ReferenceShape = 'klavi' | 'voicebase' | 's3-records' | 'sns-s3-records' | 'eventbridge-s3' | 'presigned-url';

/** A path into a JSON document: property names and array indexes, as jsonc-parser's `findNodeAtLocation` takes. */
export type JsonPath = (string | number)[];

/**
 * One file an event points at, with everything the event says about it. Plain
 * JSON (dates as ISO strings) so it can be stored, posted or printed as is.
 * Either `url` (GET it) or `bucket` + `key` (fetch through the SDK) is set.
 */
export interface FileReference {
  shape: ReferenceShape;
  /** The URL to GET. A bearer credential when presigned: display {@link FileReference.redactedUrl} instead. */
  url?: string;
  /** The URL with signature, credential and security token hidden. */
  redactedUrl?: string;
  /** Bucket, from the event or decoded from the URL. */
  bucket?: string;
  /** Object key, decoded (S3 notifications URL-encode keys, with `+` for space). */
  key?: string;
  region?: string;
  /** Event id (Klavi `eventId`, S3 `x-amz-request-id`/sequencer, EventBridge `id`, VoiceBase `mediaId`). */
  eventId?: string;
  /** Event time, ISO 8601, as the event gives it (normalised when it parses). */
  eventTime?: string;
  /** Event name or type (`analysis finished`, `s3:ObjectCreated:Put`, `Object Created`, stream name). */
  eventName?: string;
  /** Object size in bytes, when the event says. */
  size?: number;
  /** ETag without quotes, when the event says. */
  etag?: string;
  versionId?: string;
  /** A file name to save under, before sanitising (the key's last segment, else a name built from the event). */
  suggestedName: string;
  /** When the link dies: the earlier of the URL's own expiry and the event's rule (ISO 8601). */
  expiresAt?: string;
  /** Where {@link FileReference.expiresAt} comes from, in words ("X-Amz-Date + X-Amz-Expires", "one day after eventTime"). */
  expirySource?: string;
  /** Where the reference sits in the document (for SNS-wrapped events, the path of the `Message` string). */
  jsonPath: JsonPath;
  /** One line for lists and pickers: the file name and where it comes from, no secrets. */
  label: string;
}

const oneDayMs = 24 * 60 * 60 * 1000;

/** Field names are compared lower-cased with `_` and `-` removed: `presignedUrl`, `presigned_url`, `presignedurl` are one field. */
export function normalizeFieldName(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, '');
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The property whose normalised name matches, with its real name. */
function field(obj: JsonObject, name: string): { name: string; value: unknown } | undefined {
  const wanted = normalizeFieldName(name);
  for (const [k, v] of Object.entries(obj)) {
    if (normalizeFieldName(k) === wanted) {
      return { name: k, value: v };
    }
  }
  return undefined;
}

function str(obj: JsonObject | undefined, name: string): string | undefined {
  const v = obj ? field(obj, name)?.value : undefined;
  if (typeof v === 'string') {
    return v;
  }
  return typeof v === 'number' ? String(v) : undefined;
}

function num(obj: JsonObject | undefined, name: string): number | undefined {
  const v = obj ? field(obj, name)?.value : undefined;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function obj(parent: JsonObject | undefined, name: string): JsonObject | undefined {
  const v = parent ? field(parent, name)?.value : undefined;
  return isObject(v) ? v : undefined;
}

/**
 * Parses an event time: ISO 8601 (any letter case), or epoch seconds or
 * milliseconds. Returns undefined when it does not parse.
 */
export function parseEventTime(value: unknown): Date | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return new Date(value > 1e12 ? value : value * 1000);
  }
  if (typeof value !== 'string' || value.trim() === '') {
    return undefined;
  }
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    return parseEventTime(Number(text));
  }
  for (const candidate of [text, text.toUpperCase()]) {
    const t = Date.parse(candidate);
    if (!Number.isNaN(t)) {
      return new Date(t);
    }
  }
  return undefined;
}

/** Decodes a key from an S3 notification: URL-encoded, with `+` for space. */
export function decodeNotificationKey(key: string): string {
  const spaced = key.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

function baseName(path: string | undefined): string | undefined {
  if (!path) {
    return undefined;
  }
  const last = path.split('/').filter(Boolean).pop();
  return last && last.trim() !== '' ? last : undefined;
}

function isHttpUrl(value: unknown): value is string {
  return typeof value === 'string' && /^https?:\/\/\S+$/i.test(value.trim());
}

function stripQuotes(etag: string | undefined): string | undefined {
  return etag?.replace(/^"+|"+$/g, '') || undefined;
}

interface UrlRefInput {
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

function urlReference(input: UrlRefInput): FileReference {
  const url = input.url.trim();
  const info = inspectPresignedUrl(url);
  let bucket = info?.bucket;
  let key = info?.key;
  let region = info?.region;
  if (!info) {
    try {
      const loc = locateS3Object(new URL(url));
      bucket = loc.bucket;
      key = loc.key;
      region = loc.region;
    } catch {
      // Not a URL we can take apart: the name falls back below.
    }
  }
  const urlExpiry = info?.expiresAt;
  const expiresAt = earliestExpiry(urlExpiry, input.ruleExpiry);
  let expirySource: string | undefined;
  if (expiresAt) {
    expirySource =
      expiresAt === input.ruleExpiry ? input.ruleSource : info?.signatureVersion === 'v2' ? 'the URL (Expires)' : 'the URL (X-Amz-Date + X-Amz-Expires)';
  }
  const suggestedName = baseName(key) ?? input.fallbackName ?? 'download';
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
    suggestedName,
    expiresAt: expiresAt?.toISOString(),
    expirySource,
    jsonPath: input.jsonPath,
    label: '',
  };
  ref.label = labelFor(ref);
  return ref;
}

const shapeWords: Record<ReferenceShape, string> = {
  klavi: 'Klavi event',
  voicebase: 'VoiceBase stream',
  's3-records': 'S3 notification',
  'sns-s3-records': 'S3 notification via SNS',
  'eventbridge-s3': 'EventBridge S3 event',
  'presigned-url': 'presigned URL',
};

function labelFor(ref: FileReference): string {
  const where = ref.url ? `${shapeWords[ref.shape]}` : `${shapeWords[ref.shape]}, s3://${ref.bucket}/${ref.key}`;
  return `${ref.suggestedName} (${where}${ref.eventName ? `, ${ref.eventName}` : ''})`;
}

function isoOrRaw(value: string | undefined): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  return parseEventTime(value)?.toISOString() ?? value;
}

/** An S3 notification record (`s3.bucket.name`, `s3.object.key`) → reference, else undefined. */
function s3RecordReference(record: unknown, jsonPath: JsonPath, shape: ReferenceShape): FileReference | undefined {
  if (!isObject(record)) {
    return undefined;
  }
  const s3 = obj(record, 's3');
  const bucket = str(obj(s3, 'bucket'), 'name');
  const object = obj(s3, 'object');
  const rawKey = str(object, 'key');
  if (!bucket || rawKey === undefined) {
    return undefined;
  }
  const key = decodeNotificationKey(rawKey);
  const responseElements = obj(record, 'responseElements');
  const ref: FileReference = {
    shape,
    bucket,
    key,
    region: str(record, 'awsRegion'),
    eventId: str(responseElements, 'x-amz-request-id') ?? str(object, 'sequencer'),
    eventTime: isoOrRaw(str(record, 'eventTime')),
    eventName: str(record, 'eventName'),
    size: num(object, 'size'),
    etag: stripQuotes(str(object, 'eTag')),
    versionId: str(object, 'versionId'),
    suggestedName: baseName(key) ?? 'download',
    jsonPath,
    label: '',
  };
  ref.label = labelFor(ref);
  return ref;
}

/** EventBridge `{ source: "aws.s3", detail: { bucket: { name }, object: { key } } }` → reference. */
function eventBridgeReference(value: JsonObject, jsonPath: JsonPath): FileReference | undefined {
  const detail = obj(value, 'detail');
  const bucket = str(obj(detail, 'bucket'), 'name');
  const object = obj(detail, 'object');
  const rawKey = str(object, 'key');
  if (!bucket || rawKey === undefined) {
    return undefined;
  }
  const key = decodeNotificationKey(rawKey);
  const ref: FileReference = {
    shape: 'eventbridge-s3',
    bucket,
    key,
    region: str(value, 'region'),
    eventId: str(value, 'id'),
    eventTime: isoOrRaw(str(value, 'time')),
    eventName: str(value, 'detail-type'),
    size: num(object, 'size'),
    etag: stripQuotes(str(object, 'etag')),
    versionId: str(object, 'version-id'),
    suggestedName: baseName(key) ?? 'download',
    jsonPath,
    label: '',
  };
  ref.label = labelFor(ref);
  return ref;
}

interface Walk {
  refs: FileReference[];
  /** Paths (JSON-encoded) already explained by a specific shape, so the generic URL rule skips them. */
  claimed: Set<string>;
  depth: number;
  /** When walking an SNS Message, every reference gets this path and S3 records this shape. */
  wrapped?: { jsonPath: JsonPath };
}

const maxDepth = 64;

function claim(walk: Walk, path: JsonPath): void {
  walk.claimed.add(JSON.stringify(path));
}

function pathOf(walk: Walk, path: JsonPath): JsonPath {
  return walk.wrapped ? walk.wrapped.jsonPath : path;
}

function visit(value: unknown, path: JsonPath, walk: Walk, nearestEventId: string | undefined): void {
  if (walk.depth > maxDepth) {
    return;
  }
  if (typeof value === 'string') {
    if (!walk.claimed.has(JSON.stringify(path)) && inspectPresignedUrl(value)) {
      walk.refs.push(urlReference({ shape: 'presigned-url', url: value, jsonPath: pathOf(walk, path), eventId: nearestEventId }));
    }
    return;
  }
  if (Array.isArray(value)) {
    walk.depth++;
    value.forEach((item, i) => visit(item, [...path, i], walk, nearestEventId));
    walk.depth--;
    return;
  }
  if (!isObject(value)) {
    return;
  }
  const eventId = str(value, 'eventId') ?? str(value, 'mediaId') ?? nearestEventId;
  recogniseShapes(value, path, walk, eventId);
  walk.depth++;
  for (const [k, v] of Object.entries(value)) {
    visit(v, [...path, k], walk, eventId);
  }
  walk.depth--;
}

/** Checks one object against each known event shape; found references claim their paths. */
function recogniseShapes(value: JsonObject, path: JsonPath, walk: Walk, eventId: string | undefined): void {
  // Klavi: { eventId, eventTime, payload: { presignedUrl } }, or presignedUrl on the object itself.
  const payload = field(value, 'payload');
  const holders: { holder: JsonObject; holderPath: JsonPath }[] = [{ holder: value, holderPath: path }];
  if (payload && isObject(payload.value)) {
    holders.push({ holder: payload.value, holderPath: [...path, payload.name] });
  }
  for (const { holder, holderPath } of holders) {
    const presigned = field(holder, 'presignedUrl');
    if (!presigned || !isHttpUrl(presigned.value)) {
      continue;
    }
    const urlPath = [...holderPath, presigned.name];
    if (walk.claimed.has(JSON.stringify(urlPath))) {
      continue;
    }
    const eventTimeRaw = field(value, 'eventTime')?.value ?? field(holder, 'eventTime')?.value;
    const eventTime = parseEventTime(eventTimeRaw);
    walk.refs.push(
      urlReference({
        shape: 'klavi',
        url: presigned.value,
        jsonPath: pathOf(walk, urlPath),
        eventId: str(value, 'eventId') ?? eventId,
        eventTime: eventTime?.toISOString() ?? (typeof eventTimeRaw === 'string' ? eventTimeRaw : undefined),
        eventName: str(value, 'eventName') ?? str(value, 'eventType'),
        ruleExpiry: eventTime ? new Date(eventTime.getTime() + oneDayMs) : undefined,
        ruleSource: 'one day after eventTime (Klavi)',
        fallbackName: `${str(payload && isObject(payload.value) ? payload.value : undefined, 'batchId') ?? str(value, 'eventId') ?? 'klavi'}-result`,
      }),
    );
    claim(walk, urlPath);
  }

  // An upload target ({ url, method: "PUT" }: a VoiceBase callback, a presigned PUT result) is where a
  // file goes, not a file to fetch: a GET on a URL signed for PUT is refused (SignatureDoesNotMatch).
  const method = str(value, 'method');
  const target = field(value, 'url');
  if (target && method && method.toUpperCase() !== 'GET') {
    claim(walk, [...path, target.name]);
  }

  // VoiceBase v3: { streamName, streamLocation }, inside streams[] of a media result.
  const location = field(value, 'streamLocation');
  if (location && isHttpUrl(location.value)) {
    const urlPath = [...path, location.name];
    const streamName = str(value, 'streamName') ?? str(value, 'name');
    walk.refs.push(
      urlReference({
        shape: 'voicebase',
        url: location.value,
        jsonPath: pathOf(walk, urlPath),
        eventId,
        eventName: streamName,
        fallbackName: [eventId, streamName].filter(Boolean).join('-') || 'voicebase-stream',
      }),
    );
    claim(walk, urlPath);
  }

  // S3 notification records, direct or (when walking an SNS Message) wrapped.
  const records = field(value, 'Records');
  if (records && Array.isArray(records.value)) {
    records.value.forEach((record, i) => {
      const recordPath = [...path, records.name, i];
      const ref = s3RecordReference(record, pathOf(walk, recordPath), walk.wrapped ? 'sns-s3-records' : 's3-records');
      if (ref) {
        walk.refs.push(ref);
        claim(walk, recordPath);
      }
    });
  }

  // EventBridge: { source: "aws.s3", detail: { bucket, object } }.
  const source = str(value, 'source');
  if (field(value, 'detail') && (source === undefined || source === 'aws.s3')) {
    const ref = eventBridgeReference(value, pathOf(walk, [...path, field(value, 'detail')!.name]));
    if (ref) {
      walk.refs.push(ref);
    }
  }

  // SNS Notification: Message is a JSON string (S3 records, or any event with URLs).
  const type = str(value, 'Type');
  const message = field(value, 'Message');
  if (type === 'Notification' && message && typeof message.value === 'string') {
    const parsed = parseEventJson(message.value);
    if (parsed.ok) {
      const messagePath = [...path, message.name];
      const inner: Walk = { refs: walk.refs, claimed: new Set(), depth: walk.depth + 1, wrapped: { jsonPath: pathOf(walk, messagePath) } };
      visit(parsed.value, [], inner, str(value, 'MessageId') ?? eventId);
      claim(walk, messagePath);
    }
  }
}

/**
 * Finds every file reference in a parsed JSON value, in document order:
 * Klavi-style events (field names matched case-insensitively, ignoring `_`
 * and `-`), VoiceBase `streamLocation`, S3 `Records` (direct, inside an SNS
 * `Notification`'s `Message` string, or EventBridge `detail`), and any string
 * anywhere that is a presigned URL (SigV4 or SigV2). A bare URL string is a
 * value too. Never throws; returns `[]` when nothing is found.
 */
export function findFileReferences(value: unknown): FileReference[] {
  const walk: Walk = { refs: [], claimed: new Set(), depth: 0 };
  visit(value, [], walk, undefined);
  return walk.refs;
}

/** The result of reading references out of text the user gave (a JSON document, or a bare URL). */
export type ReferencesFromText = { ok: true; value: unknown; references: FileReference[] } | { ok: false; error: JsonSyntaxError };

/**
 * Reads references from text: a bare http(s) URL (any URL, presigned or not,
 * becomes one reference), else JSON parsed strictly, with the line and column
 * of the first syntax error on failure.
 */
export function referencesFromText(text: string): ReferencesFromText {
  const trimmed = text.trim();
  if (isHttpUrl(trimmed)) {
    return { ok: true, value: trimmed, references: [urlReference({ shape: 'presigned-url', url: trimmed, jsonPath: [] })] };
  }
  const parsed = parseEventJson(text);
  if (!parsed.ok) {
    return parsed;
  }
  return { ok: true, value: parsed.value, references: findFileReferences(parsed.value) };
}

/** The kind of event, as far as file references go: the shape of its first reference, or `none`. */
export type EventKind = ReferenceShape | 'none';

/** What an event is and what it points at; for lists (the webhook listener's events) and auto-fetch. */
export interface EventSummary {
  kind: EventKind;
  eventId?: string;
  eventTime?: string;
  eventName?: string;
  references: FileReference[];
}

/** Summarises a parsed event: its kind, id, time and name (from its first reference) and all references. */
export function summarizeEvent(value: unknown): EventSummary {
  const references = findFileReferences(value);
  const first = references[0];
  return {
    kind: first?.shape ?? 'none',
    eventId: first?.eventId,
    eventTime: first?.eventTime,
    eventName: first?.eventName,
    references,
  };
}
