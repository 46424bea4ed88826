/**
 * The one place that knows which Content-Type a VoiceBase v3 callback is
 * uploaded with (FORMATS.md §1). S3 refuses an upload whose Content-Type differs
 * from the signed one with SignatureDoesNotMatch, so the presigner signs exactly
 * these values and the test upload sends them.
 */

export const callbackTypes = ['analytics', 'transcript', 'media'] as const;
export type CallbackType = (typeof callbackTypes)[number];

export const transcriptFormats = ['json', 'text', 'webvtt', 'srt', 'dfxp'] as const;
export type TranscriptFormat = (typeof transcriptFormats)[number];

export const mediaStreams = ['original', 'redacted-audio'] as const;
export type MediaStream = (typeof mediaStreams)[number];

export const analyticsSections = ['metadata', 'transcript', 'knowledge', 'prediction', 'spotting', 'streams'] as const;
export type AnalyticsSection = (typeof analyticsSections)[number];

/** The sections of the vendor's own example (seeds/001, 002): everything but keyword spotting. */
export const defaultAnalyticsSections: readonly AnalyticsSection[] = ['transcript', 'knowledge', 'metadata', 'prediction', 'streams'];

/** One row of the table: what is delivered, with which Content-Type, into a file with which extension. */
export interface DeliveryFormat {
  type: CallbackType;
  /** The transcript format, or the media stream; undefined for analytics. */
  variant?: TranscriptFormat | MediaStream;
  contentType: string;
  /** File extension (no dot) for keys: lets a downloaded result open in the right editor. */
  extension: string;
  /** Short label for pickers and docs. */
  label: string;
}

/** The Content-Type table, in the order the README and the pickers show it. */
export const deliveryFormats: readonly DeliveryFormat[] = [
  { type: 'analytics', contentType: 'application/json', extension: 'json', label: 'Analytics (JSON results)' },
  { type: 'transcript', variant: 'text', contentType: 'text/plain', extension: 'txt', label: 'Transcript: plain text' },
  { type: 'transcript', variant: 'json', contentType: 'application/json', extension: 'json', label: 'Transcript: JSON' },
  { type: 'transcript', variant: 'srt', contentType: 'text/srt', extension: 'srt', label: 'Transcript: SubRip (SRT)' },
  { type: 'transcript', variant: 'dfxp', contentType: 'application/ttaf+xml', extension: 'dfxp', label: 'Transcript: DFXP / TTML' },
  { type: 'transcript', variant: 'webvtt', contentType: 'text/vtt', extension: 'vtt', label: 'Transcript: WebVTT' },
  { type: 'media', variant: 'original', contentType: 'application/octet-stream', extension: 'bin', label: 'Media: original' },
  { type: 'media', variant: 'redacted-audio', contentType: 'application/octet-stream', extension: 'bin', label: 'Media: redacted audio' },
];

/**
 * The delivery format for a callback type and its format/stream. Analytics has
 * no variant; a transcript or media callback without one is an error (the
 * vendor would not know what to send).
 */
export function deliveryFormatFor(type: string, variant?: string): DeliveryFormat {
  if (!(callbackTypes as readonly string[]).includes(type)) {
    throw new RangeError(`Unknown callback type "${type}": use ${listWords(callbackTypes)}.`);
  }
  if (type === 'analytics') {
    return deliveryFormats[0];
  }
  const allowed: readonly string[] = type === 'transcript' ? transcriptFormats : mediaStreams;
  const what = type === 'transcript' ? 'transcript format' : 'media stream';
  if (variant === undefined) {
    throw new RangeError(`A ${type} callback needs a ${what}: ${listWords(allowed)}.`);
  }
  const found = deliveryFormats.find((f) => f.type === type && f.variant === variant);
  if (!found) {
    throw new RangeError(`Unknown ${what} "${variant}": use ${listWords(allowed)}.`);
  }
  return found;
}

/** The Content-Type the vendor sends for a callback type (and its format or stream). */
export function contentTypeFor(type: string, variant?: string): string {
  return deliveryFormatFor(type, variant).contentType;
}

/** Content-Type for a file extension from the table (e.g. `srt` → `text/srt`); undefined if the table has none. */
export function contentTypeForExtension(extension: string): string | undefined {
  const ext = extension.replace(/^\./, '').toLowerCase();
  return deliveryFormats.find((f) => f.extension === ext)?.contentType;
}

/** File extension for a Content-Type (e.g. `text/vtt` → `vtt`); `bin` when the table has none. */
export function extensionForContentType(contentType: string | undefined): string {
  if (!contentType) {
    return 'bin';
  }
  const bare = contentType.split(';')[0].trim().toLowerCase();
  return deliveryFormats.find((f) => f.contentType === bare)?.extension ?? 'bin';
}

/** The distinct Content-Types of the table, for pickers. */
export function knownContentTypes(): string[] {
  return [...new Set(deliveryFormats.map((f) => f.contentType))];
}

/**
 * Why a Content-Type value cannot be signed and sent as a header; undefined
 * when it is a well-formed `type/subtype[; parameters]`.
 */
export function contentTypeProblem(contentType: string): string | undefined {
  if (/[\r\n]/.test(contentType)) {
    return 'A Content-Type cannot contain a line break.';
  }
  if (!/^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+(\s*;\s*[^;]+)*$/.test(contentType.trim())) {
    return `"${contentType}" is not a Content-Type: use type/subtype, for example application/json.`;
  }
  if (contentType !== contentType.trim()) {
    return 'The Content-Type starts or ends with a space; the uploader would have to send exactly that.';
  }
  return undefined;
}

/** "a, b or c". */
export function listWords(words: readonly string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}
