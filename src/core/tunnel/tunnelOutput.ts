/**
 * Reading a tunnel program's public URL out of what it prints. Each format is
 * the real program's (see the stand-ins in test/support/tunnels/, which cite
 * them); the URL is taken from the line that announces the tunnel, never from
 * the first `https://` seen, because cloudflared prints its terms-of-use and
 * documentation links before the tunnel's own address.
 */

/** Which program's output is being read: a known one, or the user's own command. */
export type TunnelKind = 'cloudflared' | 'ngrok' | 'command';

/** What one output line says. */
export type TunnelLineNews =
  | { publicUrl: string }
  /** ngrok's local API address (`starting web service`), to ask it for the URL when the log does not say. */
  | { apiAddress: string }
  /** The line explains a failure; the text tells the user what to do. */
  | { hint: string }
  | undefined;

// cloudflared: `<time> INF |  https://<words>.trycloudflare.com   |` — the URL inside the box.
const cloudflaredBox = /\|\s+(https:\/\/[^\s|]+)\s+\|/;
// localhost.run: `<id>.lhr.life tunneled with tls termination, https://<id>.lhr.life`
const localhostRun = /tunneled with tls termination,\s+(https:\/\/\S+)/;
const anyHttps = /https:\/\/[^\s"'<>|\])]+/g;

/** Hosts of documentation, sign-up and dashboard links tunnel programs print next to the tunnel's address. */
const notTunnelHosts = /(^|\.)(cloudflare\.com|ngrok\.com|localhost\.run|twitter\.com|x\.com|github\.com)$/i;

const authtokenHint =
  'ngrok needs the authtoken of your (free) ngrok account: run `ngrok config add-authtoken <token>` with the token from https://dashboard.ngrok.com/get-started/your-authtoken, then start the tunnel again.';
const cloudflaredNetworkHint =
  'cloudflared could not get a quick tunnel from trycloudflare.com: this computer needs to reach the internet (api.trycloudflare.com, and Cloudflare on port 7844).';

/** What a line of a tunnel program's output (stdout or stderr) says, if anything. */
export function readTunnelLine(kind: TunnelKind, line: string): TunnelLineNews {
  const trimmed = line.trim();
  if (trimmed.startsWith('{')) {
    const news = ngrokJsonLine(trimmed);
    if (news) {
      return news;
    }
  }
  if (/ERR_NGROK_4018|add-authtoken|requires a verified account and authtoken/i.test(line)) {
    return { hint: authtokenHint };
  }
  if (/failed to (request|unmarshal) quick Tunnel/i.test(line)) {
    return { hint: cloudflaredNetworkHint };
  }
  if (kind === 'ngrok') {
    return undefined;
  }
  const boxed = cloudflaredBox.exec(line);
  if (boxed && isTunnelUrl(boxed[1])) {
    return { publicUrl: origin(boxed[1]) };
  }
  if (kind === 'cloudflared') {
    return undefined;
  }
  const lhr = localhostRun.exec(line);
  if (lhr && isTunnelUrl(lhr[1])) {
    return { publicUrl: origin(lhr[1]) };
  }
  // The user's own command: the first https origin that is not a documentation link (those have paths or known hosts).
  for (const match of line.matchAll(anyHttps)) {
    const candidate = match[0].replace(/[.,;:]+$/, '');
    if (isTunnelUrl(candidate)) {
      return { publicUrl: origin(candidate) };
    }
  }
  return undefined;
}

function ngrokJsonLine(text: string): TunnelLineNews {
  let record: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) {
      return undefined;
    }
    record = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const str = (key: string): string | undefined => {
    const value = record[key];
    return typeof value === 'string' ? value : undefined;
  };
  const url = str('url');
  if (str('msg') === 'started tunnel' && url?.startsWith('https://')) {
    return { publicUrl: origin(url) };
  }
  if (str('msg') === 'starting web service' && str('addr')) {
    return { apiAddress: str('addr') ?? '' };
  }
  if (/ERR_NGROK_4018|authtoken/i.test(str('err') ?? '')) {
    return { hint: authtokenHint };
  }
  return undefined;
}

/** An https origin that is not one of the programs' own documentation or dashboard links. */
function isTunnelUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return url.protocol === 'https:' && (url.pathname === '/' || url.pathname === '') && !url.search && !notTunnelHosts.test(url.hostname);
}

function origin(text: string): string {
  return new URL(text).origin;
}

/**
 * The https public URL ngrok's local API (`GET http://127.0.0.1:4040/api/tunnels`)
 * reports for the tunnel to `port`, from the API's JSON answer.
 */
export function ngrokApiPublicUrl(answer: unknown, port: number): string | undefined {
  const tunnels = (answer as { tunnels?: unknown } | null)?.tunnels;
  if (!Array.isArray(tunnels)) {
    return undefined;
  }
  for (const t of tunnels as { public_url?: unknown; proto?: unknown; config?: { addr?: unknown } }[]) {
    const addr = typeof t.config?.addr === 'string' ? t.config.addr : '';
    const samePort = new RegExp(`:${port}/?$`).test(addr) || addr === String(port);
    if (samePort && typeof t.public_url === 'string' && t.public_url.startsWith('https://')) {
      return origin(t.public_url);
    }
  }
  return undefined;
}
