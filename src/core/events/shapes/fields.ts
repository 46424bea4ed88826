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

// Readers ask for a few dozen constant names: normalise each once.
const wantedNames = new Map<string, string>();

function wantedName(name: string): string {
  let wanted = wantedNames.get(name);
  if (wanted === undefined) {
    wanted = normalizeFieldName(name);
    if (wantedNames.size < 1000) {
      wantedNames.set(name, wanted);
    }
  }
  return wanted;
}

export type Field = { name: string; value: unknown } | undefined;

/** Names to look up together, normalised once (a reader's constant list). */
export function fieldNames<const N extends readonly string[]>(...names: N): N {
  return names.map(normalizeFieldName) as unknown as N;
}

/**
 * The first own property matching each of `names` (made by {@link fieldNames}),
 * with its real spelling, in one pass over the object's keys: a reader asks
 * for several fields of one object on every request.
 */
export function fields<const N extends readonly string[]>(obj: JsonObject | undefined, names: N): { [K in keyof N]: Field } {
  const found: Field[] = new Array<Field>(names.length);
  if (obj) {
    // Own keys only: a parsed "__proto__" key must not bring inherited properties in.
    for (const key of Object.keys(obj)) {
      for (let i = 0; i < names.length; i++) {
        if (found[i] === undefined && sameField(key, names[i])) {
          found[i] = { name: key, value: obj[key] };
        }
      }
    }
  }
  return found as { [K in keyof N]: Field };
}

/** The first own property whose name matches `name` (see {@link normalizeFieldName}), with its real spelling. */
export function field(obj: JsonObject | undefined, name: string): Field {
  if (!obj) {
    return undefined;
  }
  const wanted = wantedName(name);
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

/** A found field's value as text (see {@link asText}). */
export function textOf(f: Field): string | undefined {
  return asText(f?.value);
}

/** A found field that is an http(s) URL: its value and real name, else undefined. */
export function urlOf(f: Field): { name: string; value: string } | undefined {
  return f && isHttpUrl(f.value) ? { name: f.name, value: f.value } : undefined;
}

/** An http(s) URL field: its value and real name, else undefined. */
export function urlField(obj: JsonObject | undefined, name: string): { name: string; value: string } | undefined {
  return urlOf(field(obj, name));
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
