import { parse as parseJsonc } from 'jsonc-parser';
import { inspectPresignedUrl } from '../url/presignedUrl';
import { contentTypeFor, contentTypeForExtension } from './contentTypes';

/**
 * The http(s) URL in a text that covers an offset (the cursor), or undefined.
 * A URL ends at whitespace, a quote, `<`, `>` or a backslash, so one inside a
 * JSON string, a shell command or prose is found alike.
 */
export function urlAtOffset(text: string, offset: number): string | undefined {
  for (const m of text.matchAll(/https?:\/\/[^\s"'<>\\`]+/g)) {
    const start = m.index;
    if (offset >= start && offset <= start + m[0].length) {
      return m[0];
    }
  }
  return undefined;
}

/** Where the headers to send with a URL came from. */
export type HeaderSource = 'headers' | 'callback' | 'extension' | 'none';

export interface UploadHeaders {
  headers: Record<string, string>;
  source: HeaderSource;
  /** For messages: "the callback's type transcript (srt)", "the .srt extension". */
  explanation?: string;
}

function findObjectWithUrl(value: unknown, url: string): Record<string, unknown> | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findObjectWithUrl(item, url);
      if (found) {
        return found;
      }
    }
  } else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (record.url === url) {
      return record;
    }
    for (const child of Object.values(record)) {
      const found = findObjectWithUrl(child, url);
      if (found) {
        return found;
      }
    }
  }
  return undefined;
}

/**
 * The headers an upload to `url` must send, read from the JSON document that
 * carries the URL: the generic form's `headers`, or a VoiceBase callback's
 * `type` and `format`/`stream` through the Content-Type table. Undefined when
 * the text is not JSON or holds no object with that URL. Tolerates comments
 * and trailing commas.
 */
export function uploadHeadersFromJson(text: string, url: string): UploadHeaders | undefined {
  const owner = findObjectWithUrl(parseJsonc(text, [], { allowTrailingComma: true }), url);
  if (!owner) {
    return undefined;
  }
  if (owner.headers && typeof owner.headers === 'object' && !Array.isArray(owner.headers)) {
    const headers = Object.fromEntries(Object.entries(owner.headers as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
    return { headers, source: 'headers', explanation: 'the "headers" next to the URL' };
  }
  const type = typeof owner.type === 'string' ? owner.type : 'analytics';
  const variant = typeof owner.format === 'string' ? owner.format : typeof owner.stream === 'string' ? owner.stream : undefined;
  try {
    const contentType = contentTypeFor(type, variant);
    return {
      headers: { 'Content-Type': contentType },
      source: 'callback',
      explanation: `the callback's type ${type}${variant ? ` (${variant})` : ''}`,
    };
  } catch {
    return undefined;
  }
}

/**
 * What to send when nothing says it: no headers when the URL signs no
 * Content-Type; otherwise the type the key's extension has in the table, or
 * undefined (then someone must choose).
 */
export function uploadHeadersFromUrl(url: string): UploadHeaders | undefined {
  const info = inspectPresignedUrl(url);
  if (!info) {
    return undefined;
  }
  if (!info.signedHeaders.includes('content-type')) {
    return { headers: {}, source: 'none', explanation: 'the URL signs no Content-Type' };
  }
  const ext = /\.([A-Za-z0-9]+)$/.exec(info.key ?? '')?.[1];
  const contentType = ext ? contentTypeForExtension(ext) : undefined;
  return contentType ? { headers: { 'Content-Type': contentType }, source: 'extension', explanation: `the .${ext} extension` } : undefined;
}
