/**
 * Event times as vendors send them. A time that does not parse, or parses to an
 * instant outside what a Date can hold, is "no time": never an Invalid Date
 * that throws later in `toISOString`.
 */

/** Whether a Date holds a real instant (not Invalid Date). */
export function isValidDate(date: Date | undefined): date is Date {
  return date !== undefined && !Number.isNaN(date.getTime());
}

/** The instant `ms` milliseconds from epoch, or undefined when out of Date's range. */
export function dateFromMs(ms: number): Date | undefined {
  const date = new Date(ms);
  return isValidDate(date) ? date : undefined;
}

/** ISO 8601 of a date, or undefined for none or Invalid Date. */
export function isoOf(date: Date | undefined): string | undefined {
  return isValidDate(date) ? date.toISOString() : undefined;
}

/**
 * Parses an event time: ISO 8601 (any letter case), or epoch seconds or
 * milliseconds. Returns undefined when it does not parse or is out of range.
 */
export function parseEventTime(value: unknown): Date | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? dateFromMs(value > 1e12 ? value : value * 1000) : undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    return undefined;
  }
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    return parseEventTime(Number(text));
  }
  for (const candidate of [text, text.toUpperCase()]) {
    const t = Date.parse(candidate);
    if (!Number.isNaN(t)) {
      return dateFromMs(t);
    }
  }
  return undefined;
}

/** An event time as ISO 8601 when it parses, else the text as sent (shown, never computed with). */
export function isoOrRaw(value: string | undefined): string | undefined {
  return value === undefined ? undefined : (isoOf(parseEventTime(value)) ?? value);
}
