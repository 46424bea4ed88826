import { randomUUID } from 'node:crypto';
import { objectKeyProblem } from '../s3/names';
import { listWords } from './contentTypes';

/**
 * Placeholders a key template may use, with what they stand for (shown in
 * pickers, `--help` and the README).
 */
export const keyTemplatePlaceholders = {
  type: 'callback type: analytics, transcript or media (upload for a single URL)',
  format: 'transcript format or media stream (json for analytics; the extension for a single URL)',
  name: 'a file name that differs per callback: analytics, transcript, media-original, media-redacted-audio (upload for a single URL)',
  ext: 'file extension of the Content-Type: json, txt, srt, vtt, dfxp, bin',
  date: 'signing date, UTC, YYYY-MM-DD',
  time: 'signing time, UTC, HHMMSS',
  timestamp: 'signing instant, UTC, YYYYMMDDTHHMMSSZ',
  id: 'a unique id (a random UUID, shared by all callbacks of one run)',
  uuid: 'same as {id}',
} as const;

export type KeyTemplatePlaceholder = keyof typeof keyTemplatePlaceholders;

/** The default key template: unique per run, and per callback within a run. */
export const defaultKeyTemplate = 's3-hooks/{date}/{id}/{name}.{ext}';

/** Values for one expansion; a missing value makes its placeholder an error. */
export type KeyTemplateValues = Partial<Record<KeyTemplatePlaceholder, string>>;

/** The values that do not depend on the callback: date and time of signing, and the run id. */
export function runValues(signedAt: Date, id: string = randomUUID()): KeyTemplateValues {
  const iso = signedAt.toISOString();
  const date = iso.slice(0, 10);
  const time = iso.slice(11, 19).replace(/:/g, '');
  return { date, time, timestamp: `${date.replace(/-/g, '')}T${time}Z`, id, uuid: id };
}

/** Why a run id cannot be used in keys; undefined when fine. */
export function runIdProblem(id: string): string | undefined {
  return /^[A-Za-z0-9._-]{1,128}$/.test(id) && id !== '.' && id !== '..'
    ? undefined
    : `The id "${id}" must be 1 to 128 letters, digits, ".", "_" or "-".`;
}

/**
 * Expands `{placeholder}`s in a key template. Throws a RangeError with a
 * user-level message for an unknown placeholder, one that has no value here,
 * or a result that is not a usable key.
 */
export function expandKeyTemplate(template: string, values: KeyTemplateValues): string {
  const known = Object.keys(keyTemplatePlaceholders);
  const key = template.replace(/\{([^{}]*)\}/g, (whole, name: string) => {
    if (!known.includes(name)) {
      throw new RangeError(`Unknown placeholder ${whole} in the key template: use ${listWords(known.map((k) => `{${k}}`))}.`);
    }
    const value = values[name as KeyTemplatePlaceholder];
    if (value === undefined) {
      throw new RangeError(`The placeholder ${whole} has no value here.`);
    }
    return value;
  });
  if (/[{}]/.test(key)) {
    throw new RangeError(`The key template "${template}" has an unmatched "{" or "}".`);
  }
  const problem = objectKeyProblem(key);
  if (problem) {
    throw new RangeError(`The key template gives "${key}": ${problem}`);
  }
  return key;
}
