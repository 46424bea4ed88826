/**
 * Field access shared by every wire-format reader: one matcher (names compared
 * ignoring case, `_` and `-`) and typed getters that return undefined for a
 * value of the wrong type instead of passing it on.
 */

export type JsonObject = Record<string, unknown>;

/** A path into a JSON document: property names and array indexes, as jsonc-parser's `findNodeAtLocation` takes. */
export type JsonPath = (string | number)[];

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Field names are compared lower-cased with `_` and `-` removed: `presignedUrl`, `presigned_url`, `presignedurl` are one field. */
export function normalizeFieldName(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, '');
}

/** Whether `key` normalises to `wanted` (already normalised), without allocating: readers run on every request. */
export function sameField(key: string, wanted: string): boolean {
  let j = 0;
  for (let i = 0; i < key.length; i++) {
    let c = key.charCodeAt(i);
    if (c === 95 || c === 45) {
      continue;
    }
    if (c >= 65 && c <= 90) {
      c += 32;
    }
    if (j >= wanted.length || c !== wanted.charCodeAt(j)) {
      return false;
    }
    j++;
  }
  return j === wanted.length;
}

/** The first own property whose name matches `name` (see {@link normalizeFieldName}), with its real spelling. */
export function field(obj: JsonObject | undefined, name: string): { name: string; value: unknown } | undefined {
  if (!obj) {
    return undefined;
  }
  const wanted = normalizeFieldName(name);
  // Own keys only: a parsed "__proto__" key must not bring inherited properties in.
  for (const key of Object.keys(obj)) {
    if (sameField(key, wanted)) {
      return { name: key, value: obj[key] };
    }
  }
  return undefined;
}

/** A string, or a finite number as text (ids are sometimes sent as numbers); anything else is undefined. */
export function asText(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
}

export function textField(obj: JsonObject | undefined, name: string): string | undefined {
  return asText(field(obj, name)?.value);
}

/** A finite, non-negative number, or a string holding one. */
export function sizeField(obj: JsonObject | undefined, name: string): number | undefined {
  const v = field(obj, name)?.value;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

export function objectField(obj: JsonObject | undefined, name: string): JsonObject | undefined {
  const v = field(obj, name)?.value;
  return isObject(v) ? v : undefined;
}

export function isHttpUrl(value: unknown): value is string {
  return typeof value === 'string' && /^https?:\/\/\S+$/i.test(value.trim());
}

/** An http(s) URL field: its value and real name, else undefined. */
export function urlField(obj: JsonObject | undefined, name: string): { name: string; value: string } | undefined {
  const f = field(obj, name);
  return f && isHttpUrl(f.value) ? { name: f.name, value: f.value } : undefined;
}

export function stripQuotes(etag: string | undefined): string | undefined {
  return etag?.replace(/^"+|"+$/g, '') || undefined;
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
