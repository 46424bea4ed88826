import picomatch from 'picomatch';

/**
 * A request-path pattern as users write them in answer rules and signing
 * secrets: `/retry/*` (one segment), `/hooks/**` (any depth, `/hooks` too),
 * `/vk` (exactly). Matched against the path without its query.
 */
export interface PathGlob {
  readonly pattern: string;
  /** True when the pattern has no wildcard: it names one path. */
  readonly literal: boolean;
  matches(path: string): boolean;
}

/** Compiles a path pattern; throws with a message naming the pattern when it is not one. */
export function pathGlob(pattern: string): PathGlob {
  const text = pattern.trim();
  if (!text.startsWith('/') && text !== '**' && text !== '*') {
    throw new Error(`"${pattern}" is not a path pattern: start it with / (for example /hooks/* or /hooks/**), or use ** for every path.`);
  }
  const glob = text === '*' ? '**' : text;
  const matcher = picomatch(glob, { dot: true });
  const literal = !picomatch.scan(glob).isGlob;
  return { pattern: text, literal, matches: (path) => (literal ? path === glob : matcher(path)) };
}
