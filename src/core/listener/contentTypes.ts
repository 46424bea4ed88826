/**
 * Content types whose bodies are read into memory and parsed: JSON, and the
 * types JSON is often sent under (SNS uses text/plain; `curl -d` sends a form type).
 */
export function isInlineContentType(contentType: string | undefined): boolean {
  if (!contentType) {
    return true;
  }
  const type = mediaType(contentType);
  return (
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'text/json' ||
    type === 'text/plain' ||
    type === 'application/x-www-form-urlencoded'
  );
}

/** Content types that mean the body is JSON even when it does not start like JSON. */
export function isJsonContentType(contentType: string | undefined): boolean {
  const type = mediaType(contentType);
  return type === 'application/json' || type.endsWith('+json') || type === 'text/json';
}

/** `application/json; charset=utf-8` → `application/json`. */
export function mediaType(contentType: string | undefined): string {
  if (contentType === undefined) {
    return '';
  }
  // Without split's array: the listener asks this of every request.
  const semicolon = contentType.indexOf(';');
  return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

const extensionsByType: Record<string, string> = {
  'application/json': '.json',
  'text/plain': '.txt',
  'text/srt': '.srt',
  'text/vtt': '.vtt',
  'application/ttaf+xml': '.dfxp',
  'application/xml': '.xml',
  'text/xml': '.xml',
  'audio/mpeg': '.mp3',
  'audio/wav': '.wav',
  'application/zip': '.zip',
};

/** The file extension a received body of this type is saved with (`.bin` when unknown). */
export function extensionForType(contentType: string | undefined): string {
  return extensionsByType[mediaType(contentType)] ?? '.bin';
}
