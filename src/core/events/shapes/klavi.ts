import { parseEventTime } from './eventTime';
import { fieldNames, fields, isObject, textOf, urlOf, type Field, type JsonObject, type JsonPath } from './fields';

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

const eventNames = fieldNames('presignedUrl', 'eventId', 'eventName', 'eventType', 'payload', 'eventTime');
const payloadNames = fieldNames('presignedUrl', 'eventTime', 'batchId');

/** The fields that make an object a Klavi-style event, or undefined when it is not one. */
interface KlaviMatch {
  eventId?: string;
  eventName?: string;
  urls: KlaviEvent['urls'];
  timeField: Field;
  batchField: Field;
}

function matchKlavi(value: JsonObject): KlaviMatch | undefined {
  const [onEventField, idField, nameField, typeField, payloadField, timeOnEvent] = fields(value, eventNames);
  const payload = isObject(payloadField?.value) ? payloadField.value : undefined;
  const [inPayloadField, timeInPayload, batchField] = fields(payload, payloadNames);
  const urls: KlaviEvent['urls'] = [];
  const onEvent = urlOf(onEventField);
  if (onEvent) {
    urls.push({ url: onEvent.value, path: [onEvent.name] });
  }
  const inPayload = urlOf(inPayloadField);
  if (inPayload && payloadField) {
    urls.push({ url: inPayload.value, path: [payloadField.name, inPayload.name] });
  }
  const eventId = textOf(idField);
  const eventName = textOf(nameField) ?? textOf(typeField);
  if (urls.length === 0 && (eventId === undefined || eventName === undefined || payloadField?.value === undefined)) {
    return undefined;
  }
  return { eventId, eventName, urls, timeField: timeOnEvent ?? timeInPayload, batchField };
}

/**
 * Reads a Klavi-style event (field names matched ignoring case, `_` and `-`).
 * It is one when it carries a `presignedUrl` (on itself or in `payload`), or,
 * for events without a file, `eventId` plus `eventName`/`eventType` plus a
 * `payload`. Undefined otherwise. Wrong-typed fields read as absent.
 */
export function readKlavi(value: JsonObject): KlaviEvent | undefined {
  const match = matchKlavi(value);
  if (!match) {
    return undefined;
  }
  const { eventId, eventName, urls, timeField, batchField } = match;
  const eventTime = parseEventTime(timeField?.value);
  return {
    eventId,
    eventName,
    eventTime,
    eventTimeText: eventTime === undefined && typeof timeField?.value === 'string' ? timeField.value : undefined,
    batchId: textOf(batchField),
    urls,
  };
}

/**
 * What the listener records of a Klavi-style event: the same rule as
 * {@link readKlavi}, without reading its time and batch (the listener labels
 * every request it receives; dates are parsed when someone fetches).
 */
export function readKlaviIdentity(value: JsonObject): Pick<KlaviEvent, 'eventId' | 'eventName'> | undefined {
  const match = matchKlavi(value);
  return match && { eventId: match.eventId, eventName: match.eventName };
}
