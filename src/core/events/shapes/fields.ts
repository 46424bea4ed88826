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

export type Field = { name: string; value: unknown } | undefined;

/** Names to look up together, normalised once (a reader's constant list). */
export function fieldNames<const N extends readonly string[]>(...names: N): N {
  return names.map(normalizeFieldName) as unknown as N;
}

// Readers ask for a few dozen constant names, and the keys of parsed JSON are the same few strings on every
// request: remember their normalised form (bounded, as a hostile body can carry any number of distinct keys;
// past the bound they are normalised each time).
const normalizedNames = new Map<string, string>();

function normalized(name: string): string {
  let result = normalizedNames.get(name);
  if (result === undefined) {
    result = normalizeFieldName(name);
    if (normalizedNames.size < 4096) {
      normalizedNames.set(name, result);
    }
  }
  return result;
}

// For each list made by fieldNames: normalised name -> its positions in the list.
const positionsOf = new WeakMap<readonly string[], Map<string, number[]>>();

function positions(names: readonly string[]): Map<string, number[]> {
  let map = positionsOf.get(names);
  if (!map) {
    map = new Map();
    names.forEach((name, i) => map!.set(name, [...(map!.get(name) ?? []), i]));
    positionsOf.set(names, map);
  }
  return map;
}

/**
 * The first own property matching each of `names` (made by {@link fieldNames}),
 * with its real spelling, in one pass over the object's keys, each key looked
 * up once: a reader asks for several fields of one object on every request
 * (comparing every key with every name showed in the listener's profile).
 */
export function fields<const N extends readonly string[]>(obj: JsonObject | undefined, names: N): { [K in keyof N]: Field } {
  const found: Field[] = new Array<Field>(names.length);
  if (obj) {
    const wanted = positions(names);
    // Own keys only: a parsed "__proto__" key must not bring inherited properties in.
    for (const key of Object.keys(obj)) {
      const at = wanted.get(normalized(key));
      if (at !== undefined) {
        for (const i of at) {
          if (found[i] === undefined) {
            found[i] = { name: key, value: obj[key] };
          }
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
  const wanted = normalized(name);
  for (const key of Object.keys(obj)) {
    if (normalized(key) === wanted) {
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
