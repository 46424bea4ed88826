/**
 * How a received request is passed on to the app under test: the URL it goes
 * to and the headers it carries. Pure: the sending is in forwarder.ts.
 */

/**
 * The URL a request is forwarded to: the request's path appended to the path
 * of `forwardTo`, queries joined. `http://localhost:3000/webhooks` and a
 * request to `/vk/hook?x=1` give `http://localhost:3000/webhooks/vk/hook?x=1`;
 * a request to `/` goes to `forwardTo` itself.
 */
export function forwardTarget(forwardTo: string, path: string, query: string): string {
  const base = new URL(forwardTo);
  if (path !== '/' && path !== '') {
    base.pathname = base.pathname.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`);
  }
  const queries = [base.search.replace(/^\?/, ''), query].filter(Boolean);
  base.search = queries.length > 0 ? `?${queries.join('&')}` : '';
  return base.toString();
}

/** Checks a forwardTo value: an absolute http(s) URL. Returns the error to show, or undefined. */
export function forwardToProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${value} is not a URL: give the app's address, e.g. http://localhost:3000/webhooks.`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `${value} is not an http(s) URL.`;
  }
  return undefined;
}

/** RFC 9110 §7.6.1 connection-specific headers, plus the framing and Host that the new hop sets for itself. */
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'expect',
]);

/** Who sent a request and how it reached the listener, for the X-Forwarded-* headers. */
export interface ForwardOrigin {
  /** The peer address the listener saw (a tunnel's, usually 127.0.0.1). */
  remoteAddress?: string;
}

/**
 * The headers a forwarded request carries, as a raw name/value list (names'
 * case and order as received, repeated headers kept): the original ones minus
 * hop-by-hop ones (and those the `Connection` header names), plus
 * `X-Forwarded-For` (appended to), `X-Forwarded-Proto` and `X-Forwarded-Host`
 * (kept when a tunnel already set them). Signature headers pass unchanged,
 * so the app's own checks still see what the sender signed.
 */
export function forwardHeaders(rawHeaders: readonly string[], origin: ForwardOrigin, bodyLength: number): string[] {
  const named = new Set<string>();
  let host: string | undefined;
  let forwardedFor: string | undefined;
  let proto: string | undefined;
  let forwardedHost: string | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    const value = rawHeaders[i + 1];
    if (name === 'connection') {
      value.split(',').forEach((n) => named.add(n.trim().toLowerCase()));
    } else if (name === 'host') {
      host ??= value;
    } else if (name === 'x-forwarded-for') {
      forwardedFor = forwardedFor === undefined ? value : `${forwardedFor}, ${value}`;
    } else if (name === 'x-forwarded-proto') {
      proto ??= value;
    } else if (name === 'x-forwarded-host') {
      forwardedHost ??= value;
    }
  }
  const out: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    if (hopByHop.has(name) || named.has(name) || name.startsWith('x-forwarded-')) {
      continue;
    }
    out.push(rawHeaders[i], rawHeaders[i + 1]);
  }
  const peer = origin.remoteAddress?.replace(/^::ffff:/, '');
  const chain = [forwardedFor, peer].filter((v): v is string => !!v).join(', ');
  if (chain) {
    out.push('X-Forwarded-For', chain);
  }
  out.push('X-Forwarded-Proto', proto ?? 'http');
  if (forwardedHost ?? host) {
    out.push('X-Forwarded-Host', forwardedHost ?? host ?? '');
  }
  out.push('Content-Length', String(bodyLength));
  return out;
}
