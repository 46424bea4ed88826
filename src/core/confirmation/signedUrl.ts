/**
 * The URL a VK confirmation signature is computed over: the configured public
 * URL (a bare origin gets the request's path and query; a URL with a path is
 * used exactly), else the URL the request was received at, taking a tunnel's
 * `X-Forwarded-Proto`/`X-Forwarded-Host` into account.
 */
export function signedUrlFor(publicUrl: string | undefined, request: { url: string; headers: Record<string, string | string[] | undefined> }): {
  url: string;
  fromSetting: boolean;
} {
  const configured = publicUrl?.trim();
  if (configured) {
    try {
      const parsed = new URL(configured);
      const bareOrigin = (parsed.pathname === '/' || parsed.pathname === '') && !parsed.search;
      if (bareOrigin && request.url !== '/') {
        return { url: configured.replace(/\/+$/, '') + request.url, fromSetting: true };
      }
    } catch {
      // Not a URL: used as typed, which is what the user registered.
    }
    return { url: configured, fromSetting: true };
  }
  const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v)?.split(',')[0].trim();
  const proto = first(request.headers['x-forwarded-proto']) ?? 'http';
  const host = first(request.headers['x-forwarded-host']) ?? first(request.headers.host) ?? 'localhost';
  return { url: `${proto}://${host}${request.url}`, fromSetting: false };
}
