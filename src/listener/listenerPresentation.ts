// What the listener's status bar tooltip says about public reachability, the tunnel and forwarding.
// Plain functions (no vscode), unit-tested in plain Node.

/** The parts of the listener's status these lines depend on. */
export interface ReachabilityFacts {
  localUrl?: string;
  externalUrl?: string;
  publicUrl?: string;
  tunnelUrl?: string;
  tunnelLabel?: string;
  forwardTo?: string;
  answerMode?: string;
  remoteName?: string;
}

function isLoopback(url: string | undefined): boolean {
  if (!url) {
    return true;
  }
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
  } catch {
    return true;
  }
}

/**
 * Whether a provider on the internet can reach the listener, in one sentence:
 * through the tunnel; through the editor's forwarded address (private unless
 * made public in the Ports view); or not at all (loopback only).
 */
export function reachabilityNote(f: ReachabilityFacts): string {
  if (f.tunnelUrl) {
    return `Providers reach it at ${f.tunnelUrl} (public tunnel: ${f.tunnelLabel ?? 'running'}).`;
  }
  if (f.externalUrl && f.externalUrl !== f.localUrl && !isLoopback(f.externalUrl)) {
    return `${f.remoteName ? `Remote window (${f.remoteName}): ` : ''}VS Code forwards the port to ${f.externalUrl}, which is private to you unless you make the port public in the Ports view; a provider cannot reach it until then. Start a public tunnel instead.`;
  }
  return 'Only this computer can reach it: start a public tunnel for a provider on the internet.';
}

/** Tooltip lines (markdown) for the tunnel and forwarding, with command links where there is something to do. */
export function handlerTestingLines(f: ReachabilityFacts, commands: { startTunnel: string; stopTunnel: string; copyPublicUrl: string }): string[] {
  const lines = [reachabilityNote(f)];
  lines.push(
    f.tunnelUrl
      ? `[Copy Public URL](command:${commands.copyPublicUrl}) · [Stop Public Tunnel](command:${commands.stopTunnel})`
      : `[Start Public Tunnel](command:${commands.startTunnel})`,
  );
  if (f.forwardTo) {
    lines.push(`Forwarding to \`${f.forwardTo}\` (${f.answerMode === 'proxy' ? 'proxy: your app answers the provider' : 'store: the listener answers, then forwards'})`);
  }
  return lines;
}
