/**
 * Query parameters that make a presigned URL a bearer credential. They are
 * hidden wherever a URL is logged or displayed.
 */
const secretParams = new Set(
  ['x-amz-signature', 'x-amz-credential', 'x-amz-security-token', 'signature', 'awsaccesskeyid', 'x-amz-sessiontoken'].map((p) =>
    p.toLowerCase(),
  ),
);

export const redactedMark = 'REDACTED';

/**
 * Returns the URL with its signature, credential and security token replaced by
 * `REDACTED`. Text that is not a URL is returned unchanged; it is never thrown on.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.username || parsed.password) {
    parsed.username = parsed.username ? redactedMark : '';
    parsed.password = parsed.password ? redactedMark : '';
  }
  let changed = false;
  for (const key of [...parsed.searchParams.keys()]) {
    if (secretParams.has(key.toLowerCase())) {
      parsed.searchParams.set(key, redactedMark);
      changed = true;
    }
  }
  return changed || parsed.username ? parsed.toString() : url;
}

/** Redacts every http(s) URL inside a piece of free text (log lines, error messages). */
export function redactUrlsInText(text: string): string {
  return text.replace(/https?:\/\/[^\s"'<>]+/g, (m) => redactUrl(m));
}
