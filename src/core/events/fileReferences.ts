import { inspectPresignedUrl } from '../url/presignedUrl';
import { parseEventJson, type JsonSyntaxError } from './eventJson';
import { objectReference, urlReference, type FileReference } from './fileReference';
import { jsonPathKey } from './jsonPath';
import { readEventBridgeS3 } from './shapes/eventBridge';
import { isoOf } from './shapes/eventTime';
import { field, isHttpUrl, isObject, textField, type JsonObject, type JsonPath } from './shapes/fields';
import { klaviUrlLifetimeMs, readKlavi } from './shapes/klavi';
import type { ReferenceShape } from './shapes/kinds';
import { readS3Notification } from './shapes/s3Records';
import { snsMessageJson } from './shapes/sns';
import { readVoiceBaseStream, uploadTargetUrlField } from './shapes/voiceBase';

interface Walk {
  refs: FileReference[];
  /** Paths (see {@link jsonPathKey}) already explained by a specific shape, so the generic URL rule skips them. */
  claimed: Set<string>;
  depth: number;
  /** When walking an SNS Message, every reference gets this path and S3 records their SNS shape. */
  wrapped?: { jsonPath: JsonPath };
}

/** Deeper than any real event; the walk stops here (parsed text is already limited, see maxJsonDepth). */
const maxDepth = 64;

function claim(walk: Walk, path: JsonPath): void {
  walk.claimed.add(jsonPathKey(path));
}

function pathOf(walk: Walk, path: JsonPath): JsonPath {
  return walk.wrapped ? walk.wrapped.jsonPath : path;
}

function visit(value: unknown, path: JsonPath, walk: Walk, nearestEventId: string | undefined): void {
  if (walk.depth > maxDepth) {
    return;
  }
  if (typeof value === 'string') {
    if (!walk.claimed.has(jsonPathKey(path)) && inspectPresignedUrl(value)) {
      walk.refs.push(urlReference({ shape: 'presignedUrl', url: value, jsonPath: pathOf(walk, path), eventId: nearestEventId }));
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
  const eventId = textField(value, 'eventId') ?? textField(value, 'mediaId') ?? nearestEventId;
  recogniseShapes(value, path, walk, eventId);
  walk.depth++;
  for (const key of Object.keys(value)) {
    visit(value[key], [...path, key], walk, eventId);
  }
  walk.depth--;
}

/** Reads one object as each wire format in turn; found references claim their paths. */
function recogniseShapes(value: JsonObject, path: JsonPath, walk: Walk, eventId: string | undefined): void {
  const klavi = readKlavi(value);
  for (const { url, path: relative } of klavi?.urls ?? []) {
    const urlPath = [...path, ...relative];
    if (walk.claimed.has(jsonPathKey(urlPath))) {
      continue;
    }
    walk.refs.push(
      urlReference({
        shape: 'klavi',
        url,
        jsonPath: pathOf(walk, urlPath),
        eventId: klavi?.eventId ?? eventId,
        eventTime: isoOf(klavi?.eventTime) ?? klavi?.eventTimeText,
        eventName: klavi?.eventName,
        ruleExpiry: klavi?.eventTime ? new Date(klavi.eventTime.getTime() + klaviUrlLifetimeMs) : undefined,
        ruleSource: 'one day after eventTime (Klavi)',
        fallbackName: `${klavi?.batchId ?? klavi?.eventId ?? 'klavi'}-result`,
      }),
    );
    claim(walk, urlPath);
  }

  const target = uploadTargetUrlField(value);
  if (target !== undefined) {
    claim(walk, [...path, target]);
  }

  const stream = readVoiceBaseStream(value);
  if (stream) {
    const urlPath = [...path, stream.urlField];
    walk.refs.push(
      urlReference({
        shape: 'voicebase',
        url: stream.url,
        jsonPath: pathOf(walk, urlPath),
        eventId,
        eventName: stream.streamName,
        fallbackName: [eventId, stream.streamName].filter(Boolean).join('-') || 'voicebase-stream',
      }),
    );
    claim(walk, urlPath);
  }

  const notification = readS3Notification(value);
  const recordShape: ReferenceShape = walk.wrapped ? 'snsS3Records' : 's3Records';
  notification?.records.forEach((record, i) => {
    if (record) {
      const recordPath = [...path, notification.field, i];
      walk.refs.push(objectReference(record, recordShape, pathOf(walk, recordPath)));
      claim(walk, recordPath);
    }
  });

  const bridged = readEventBridgeS3(value);
  if (bridged) {
    walk.refs.push(objectReference(bridged, 'eventBridgeS3', pathOf(walk, [...path, bridged.detailField])));
  }

  // An SNS Notification's Message is a JSON string (S3 records, or any event with URLs). Read whether
  // or not the envelope's signature fields are valid: a user pasting a notification wants its file.
  const message = field(value, 'Message');
  if (textField(value, 'Type') === 'Notification' && message && typeof message.value === 'string') {
    const inner = snsMessageJson(message.value);
    if (inner !== undefined) {
      const messagePath = [...path, message.name];
      const innerWalk: Walk = { refs: walk.refs, claimed: new Set(), depth: walk.depth + 1, wrapped: { jsonPath: pathOf(walk, messagePath) } };
      visit(inner, [], innerWalk, textField(value, 'MessageId') ?? eventId);
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
    return { ok: true, value: trimmed, references: [urlReference({ shape: 'presignedUrl', url: trimmed, jsonPath: [] })] };
  }
  const parsed = parseEventJson(text);
  if (!parsed.ok) {
    return parsed;
  }
  return { ok: true, value: parsed.value, references: findFileReferences(parsed.value) };
}

/** What an event is and what it points at; for lists (the webhook listener's events) and auto-fetch. */
export interface EventSummary {
  /** The shape of the first reference; undefined when there is none. */
  shape?: ReferenceShape;
  eventId?: string;
  eventTime?: string;
  eventName?: string;
  references: FileReference[];
}

/** Summarises a parsed event: its shape, id, time and name (from its first reference) and all references. */
export function summarizeEvent(value: unknown): EventSummary {
  const references = findFileReferences(value);
  const first = references[0];
  return { shape: first?.shape, eventId: first?.eventId, eventTime: first?.eventTime, eventName: first?.eventName, references };
}
