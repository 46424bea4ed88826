// What the listener's status bar item shows: its text, its tooltip (public reachability, the
// tunnel, forwarding) and what a click does. Plain functions (no vscode), unit-tested in plain Node.
import { CommandIds } from '../commandIds';
import type { MarkdownPart } from '../core/present/markdownParts';
import { ListenerState, type ListenerStatus } from './listenerStatus';

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

function portOf(url: string | undefined): string {
  if (!url) {
    return '';
  }
  try {
    return new URL(url).port;
  } catch {
    return '';
  }
}

function timeOf(iso: string | undefined): string {
  return iso ? new Date(iso).toLocaleTimeString() : 'none yet';
}

/** What the listener's status bar item shows; listenerStatusBar.ts only applies it. */
export interface StatusBarView {
  text: string;
  /** Plain text, or markdown (codicons on) whose command links may run `trustedCommands`. */
  tooltip: string | { parts: MarkdownPart[]; trustedCommands: string[] };
  /** What a click runs: start when off or failed, the actions menu while listening. */
  command: string | undefined;
  errorBackground: boolean;
  accessibility: { label: string; role?: 'button' };
}

function listeningTooltip(status: ListenerStatus): StatusBarView['tooltip'] {
  const parts: MarkdownPart[] = [{ markdown: '**S3 Hooks webhook listener**\n\n' }, { markdown: `Local URL: \`${status.localUrl ?? ''}\`\n\n` }];
  if (status.externalUrl && status.externalUrl !== status.localUrl) {
    parts.push({ markdown: `External URL: \`${status.externalUrl}\`\n\n` });
  }
  parts.push({
    markdown: status.publicUrl
      ? `Confirmations signed over: \`${status.publicUrl}\`\n\n`
      : 'No public URL set: confirmations are signed over the URL each request arrives at.\n\n',
  });
  const commands = { startTunnel: CommandIds.startPublicTunnel, stopTunnel: CommandIds.stopPublicTunnel, copyPublicUrl: CommandIds.copyPublicUrl };
  for (const line of handlerTestingLines(status, commands)) {
    parts.push({ markdown: `${line}\n\n` });
  }
  parts.push({ markdown: `Events: ${status.count} · last: ${timeOf(status.lastEventAt)}\n\n` });
  parts.push({ markdown: 'Click for actions (stop, copy URL, send a test event…).' });
  return { parts, trustedCommands: Object.values(commands) };
}

/** The status bar item for a listener status: off → click starts; listening → click opens its actions; error → click tries again. */
export function statusBarView(status: ListenerStatus): StatusBarView {
  switch (status.state) {
    case ListenerState.Off:
      return {
        text: '$(radio-tower) Webhooks: off',
        tooltip: 'S3 Hooks webhook listener is off. Click to start it.',
        command: CommandIds.startWebhookListener,
        errorBackground: false,
        accessibility: { label: 'Webhook listener is off. Activate to start it.', role: 'button' },
      };
    case ListenerState.Starting:
      return {
        text: '$(loading~spin) Webhooks: starting',
        tooltip: 'Starting the S3 Hooks webhook listener…',
        command: undefined,
        errorBackground: false,
        accessibility: { label: 'Webhook listener is starting' },
      };
    case ListenerState.Listening: {
      const port = portOf(status.localUrl);
      return {
        text: `$(radio-tower) Listening :${port} · ${status.count}`,
        tooltip: listeningTooltip(status),
        command: CommandIds.showWebhookListenerMenu,
        errorBackground: false,
        accessibility: { label: `Webhook listener listening on port ${port}, ${status.count} events. Activate for actions.`, role: 'button' },
      };
    }
    case ListenerState.Error:
      return {
        text: '$(error) Webhooks: error',
        tooltip: `${status.error ?? 'The webhook listener could not start.'}\n\nClick to try again.`,
        command: CommandIds.startWebhookListener,
        errorBackground: true,
        // The error is a sentence of its own (the start errors end with a full stop): one stop, not two.
        accessibility: { label: `Webhook listener error: ${(status.error ?? 'it could not start').replace(/\.+$/, '')}. Activate to try again.`, role: 'button' },
      };
  }
}
