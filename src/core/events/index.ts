/**
 * Event recogniser: what file(s) an event JSON points at. Shared by the fetch
 * command, the CLI and the webhook listener (kind detection and auto-fetch).
 */
export { parseEventJson, lineAndColumn, type JsonSyntaxError, type ParsedJson } from './eventJson';
export {
  findFileReferences,
  referencesFromText,
  summarizeEvent,
  normalizeFieldName,
  parseEventTime,
  decodeNotificationKey,
  type FileReference,
  type ReferenceShape,
  type JsonPath,
  type EventKind,
  type EventSummary,
  type ReferencesFromText,
} from './fileReferences';
