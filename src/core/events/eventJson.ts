import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

/** Where and why a JSON text failed to parse, in words a user understands. */
export interface JsonSyntaxError {
  /** "Malformed JSON at line 3, column 14: a comma or } was expected." */
  message: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  /** 0-based character offset. */
  offset: number;
  /** `syntax`: not JSON; `empty`: no text; `tooDeep`: arrays/objects nested deeper than {@link maxJsonDepth}. */
  reason: 'syntax' | 'empty' | 'tooDeep';
}

export type ParsedJson = { ok: true; value: unknown } | { ok: false; error: JsonSyntaxError };

const reasons: Record<string, string> = {
  InvalidSymbol: 'an unexpected character',
  InvalidNumberFormat: 'a malformed number',
  PropertyNameExpected: 'a property name in double quotes was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: 'a colon was expected',
  CommaExpected: 'a comma was expected',
  CloseBraceExpected: 'a closing } was expected',
  CloseBracketExpected: 'a closing ] was expected',
  EndOfFileExpected: 'there is more text after the end of the JSON value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'a comment is not closed',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfNumber: 'a number is cut off',
  InvalidUnicode: 'an invalid \\u escape',
  InvalidEscapeCharacter: 'an invalid escape character in a string',
  InvalidCharacter: 'a control character inside a string',
};

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function syntaxError(text: string, offset: number, reason: string): JsonSyntaxError {
  const { line, column } = lineAndColumn(text, offset);
  return { message: `Malformed JSON at line ${line}, column ${column}: ${reason}.`, line, column, offset, reason: 'syntax' };
}

/**
 * How deep arrays and objects may nest. Real events nest a few levels; the
 * parser (and every walker after it) recurses once per level, and a body nested
 * tens of thousands deep would overflow the stack, so deeper text is refused.
 */
export const maxJsonDepth = 512;

/**
 * The offset of the first `[` or `{` that opens level `limit + 1`, outside
 * strings; undefined when the text never nests that deep. One pass, no recursion.
 */
export function tooDeepAt(text: string, limit: number = maxJsonDepth): number | undefined {
  if (fewerOpeningsThan(text, limit + 1)) {
    return undefined;
  }
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) {
        i++;
      } else if (c === 34) {
        inString = false;
      }
    } else if (c === 34) {
      inString = true;
    } else if (c === 91 || c === 123) {
      if (++depth > limit) {
        return i;
      }
    } else if (c === 93 || c === 125) {
      depth--;
    }
  }
  return undefined;
}

/**
 * Whether the text holds fewer than `count` `[` and `{` in all (inside strings
 * too): then it cannot nest `count` deep. Counted with native `indexOf` jumps,
 * a few calls for an ordinary event where the character scan of
 * {@link tooDeepAt} costs one step per character on every request.
 */
function fewerOpeningsThan(text: string, count: number): boolean {
  let seen = 0;
  for (const opening of ['{', '[']) {
    for (let i = text.indexOf(opening); i !== -1; i = text.indexOf(opening, i + 1)) {
      if (++seen >= count) {
        return false;
      }
    }
  }
  return true;
}

/**
 * The same result as {@link parseEventJson}, faster for the listener's bodies:
 * the depth limit first, then V8's JSON.parse; jsonc-parser runs only when that
 * fails, to say where and why (and to accept what it accepts, a byte-order mark).
 */
export function parseJsonBody(text: string): ParsedJson {
  const deep = tooDeepAt(text);
  if (deep === undefined) {
    try {
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch {
      // Located and worded below.
    }
  }
  return parseEventJson(text);
}

/**
 * Parses strict JSON (no comments, no trailing commas). On failure the error
 * names the line and column of the first problem. A leading byte-order mark is
 * ignored. Text nested deeper than {@link maxJsonDepth} is refused with
 * reason `tooDeep` before it is parsed. Never throws.
 */
export function parseEventJson(text: string): ParsedJson {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') {
    return { ok: false, error: { message: 'The text is empty: paste or open an event JSON.', line: 1, column: 1, offset: 0, reason: 'empty' } };
  }
  const deep = tooDeepAt(body);
  if (deep !== undefined) {
    const { line, column } = lineAndColumn(body, deep);
    const message = `The JSON is nested more than ${maxJsonDepth} levels deep (at line ${line}, column ${column}): no event is, so it is refused unread.`;
    return { ok: false, error: { message, line, column, offset: deep, reason: 'tooDeep' } };
  }
  const errors: ParseError[] = [];
  const value: unknown = parse(body, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length > 0) {
    const first = errors[0];
    const code = printParseErrorCode(first.error);
    return { ok: false, error: syntaxError(body, first.offset, reasons[code] ?? code) };
  }
  return { ok: true, value };
}
