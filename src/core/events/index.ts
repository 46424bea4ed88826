/**
 * Event recogniser: what file(s) an event JSON points at. Shared by the fetch
 * command, the CLI and the webhook listener (kind detection and auto-fetch).
 * Wire formats are read by the readers in ./shapes.
 */
export { parseEventJson, parseJsonBody, lineAndColumn, maxJsonDepth, type JsonSyntaxError, type ParsedJson } from './eventJson';
export { findFileReferences, referencesFromText, summarizeEvent, type EventSummary, type ReferencesFromText } from './fileReferences';
export type { FileReference } from './fileReference';
export { sameJsonPath, jsonPathKey } from './jsonPath';
export {
  normalizeFieldName,
  parseEventTime,
  decodeNotificationKey,
  readReferenceShape,
  type JsonPath,
  type ReferenceShape,
} from './shapes';
