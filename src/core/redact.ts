/**
 * The one redaction module: what in a URL or a header is a credential, and how
 * it is hidden wherever it is stored, logged or displayed.
 */

export const redactedMark = 'REDACTED';

/**
 * Query parameters that make a URL a bearer credential: AWS SigV4/SigV2,
 * Google Cloud Storage V4/V2, Azure SAS (`sig`, and `se`/`sp`/`skoid`… that
 * describe the grant), and the generic `token`/`key`/`signature` family.
 */
const secretParams = new Set([
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
  'awsaccesskeyid',
  'signature',
  'x-goog-signature',
  'x-goog-credential',
  'googleaccessid',
  'sig',
  'se',
  'sp',
  'skoid',
  'sktid',
  'x-oss-signature',
  'ossaccesskeyid',
  'x-oss-credential',
  'key',
  'policy',
]);

/** Names that carry a secret whatever the provider: `access_token`, `X-Amz-SessionToken`, `api-key`, `client_secret`… */
const secretNamePattern = /authorization|cookie|token|secret|signature|password|passwd|api-?key|credential|session/i;

/** Whether a query parameter's value is hidden when the URL is shown. */
export function isSecretParam(name: string): boolean {
  const lower = name.toLowerCase();
  return secretParams.has(lower) || secretNamePattern.test(lower);
}

/**
 * Returns the URL with every credential replaced by `REDACTED`: secret query
 * parameters (see {@link isSecretParam}), a user name and password in the
 * authority (`https://:secret@host`), and a fragment holding parameters
 * (`#access_token=…`). Text that is not a URL is returned unchanged; it is
 * never thrown on.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  let changed = false;
  if (parsed.username || parsed.password) {
    parsed.username = parsed.username ? redactedMark : '';
    parsed.password = parsed.password ? redactedMark : '';
    changed = true;
  }
  for (const key of new Set(parsed.searchParams.keys())) {
    if (isSecretParam(key)) {
      parsed.searchParams.set(key, redactedMark);
      changed = true;
    }
  }
  if (parsed.hash.includes('=')) {
    parsed.hash = redactedMark;
    changed = true;
  }
  return changed ? parsed.toString() : url;
}

/**
 * Redacts every http(s) URL inside a piece of free text (log lines, error
 * messages), and then any `?name=value` / `&name=value` with a secret name
 * left over (a URL cut short, or written without its scheme).
 */
export function redactUrlsInText(text: string): string {
  // `'` is legal in a URL path (an S3 key "John's call.wav"): it does not end the URL, but a
  // quote or bracket closing the sentence around the URL is kept outside it.
  const urls = text.replace(/https?:\/\/[^\s"<>]+/gi, (m) => {
    const tail = /['),.;\]]+$/.exec(m)?.[0] ?? '';
    return redactUrl(m.slice(0, m.length - tail.length)) + tail;
  });
  // The value stops at a closing bracket too: signatures and tokens are hex or base64, never ")".
  return urls.replace(/([?&])([\w.~-]+)=([^&#\s"'<>)\]]*)/g, (m, sep: string, name: string) => (isSecretParam(name) ? `${sep}${name}=${redactedMark}` : m));
}

/** Headers kept verbatim even though their name matches the secret pattern (they carry no secret). */
const harmlessHeaders = new Set(['x-amz-sns-message-type']);

// The same few header names arrive with every request: remember the verdicts (bounded).
const verdicts = new Map<string, boolean>();

/** Whether a header's value should be hidden wherever it is stored or shown (Authorization, Cookie, *token*, *signature*, *api-key*, …). */
export function isSecretHeader(name: string): boolean {
  let secret = verdicts.get(name);
  if (secret === undefined) {
    const lower = name.toLowerCase();
    secret = !harmlessHeaders.has(lower) && secretNamePattern.test(lower);
    if (verdicts.size > 1000) {
      verdicts.clear();
    }
    verdicts.set(name, secret);
  }
  return secret;
}

/**
 * Request headers from Node's `rawHeaders` list (name, value, name, value…):
 * names lower-cased, repeated values joined with `, `, secret values replaced
 * by `REDACTED`. Built without Node's own headers object.
 */
export function redactRawHeaders(raw: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    const value = isSecretHeader(name) ? redactedMark : raw[i + 1];
    const earlier = out[name];
    out[name] = earlier === undefined ? value : earlier === redactedMark ? earlier : `${earlier}, ${value}`;
  }
  return out;
}
