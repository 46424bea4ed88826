import { parseEventTime } from './eventTime';
import { field, isObject, textField, urlField, type JsonObject, type JsonPath } from './fields';

/** A Klavi-style event: `{ eventId, eventType, eventName, eventTime, payload: { batchId, presignedUrl } }`. */
export interface KlaviEvent {
  eventId?: string;
  /** `eventName`, else `eventType`. */
  eventName?: string;
  /** The event time when it parses to a real instant. */
  eventTime?: Date;
  /** The event time as sent when it is text that does not parse (shown, never computed with). */
  eventTimeText?: string;
  batchId?: string;
  /** The result file's presigned URL(s): on the event itself or in its `payload`, with the path from the event object. */
  urls: { url: string; path: JsonPath }[];
}

/** Klavi's rule: a result URL works for one day after `eventTime`. */
export const klaviUrlLifetimeMs = 24 * 60 * 60 * 1000;

/**
 * Reads a Klavi-style event (field names matched ignoring case, `_` and `-`).
 * It is one when it carries a `presignedUrl` (on itself or in `payload`), or,
 * for events without a file, `eventId` plus `eventName`/`eventType` plus a
 * `payload`. Undefined otherwise. Wrong-typed fields read as absent.
 */
export function readKlavi(value: JsonObject): KlaviEvent | undefined {
  const payloadField = field(value, 'payload');
  const payload = isObject(payloadField?.value) ? payloadField.value : undefined;
  const urls: KlaviEvent['urls'] = [];
  const onEvent = urlField(value, 'presignedUrl');
  if (onEvent) {
    urls.push({ url: onEvent.value, path: [onEvent.name] });
  }
  const inPayload = urlField(payload, 'presignedUrl');
  if (inPayload && payloadField) {
    urls.push({ url: inPayload.value, path: [payloadField.name, inPayload.name] });
  }
  const eventId = textField(value, 'eventId');
  const eventName = textField(value, 'eventName') ?? textField(value, 'eventType');
  if (urls.length === 0 && (eventId === undefined || eventName === undefined || payloadField?.value === undefined)) {
    return undefined;
  }
  const timeField = field(value, 'eventTime') ?? field(payload, 'eventTime');
  const eventTime = parseEventTime(timeField?.value);
  return {
    eventId,
    eventName,
    eventTime,
    eventTimeText: eventTime === undefined && typeof timeField?.value === 'string' ? timeField.value : undefined,
    batchId: textField(payload, 'batchId'),
    urls,
  };
}
