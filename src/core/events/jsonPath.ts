import type { JsonPath } from './shapes/fields';

/** A string that is equal for equal paths: for Sets and Maps of paths. */
export function jsonPathKey(path: JsonPath): string {
  return JSON.stringify(path);
}

/** Whether two JSON paths name the same place (`["a", 0]` and `["a", "0"]` do not: one is an index). */
export function sameJsonPath(a: JsonPath | undefined, b: JsonPath | undefined): boolean {
  if (a === undefined || b === undefined || a.length !== b.length) {
    return a === b;
  }
  return a.every((part, i) => part === b[i]);
}
