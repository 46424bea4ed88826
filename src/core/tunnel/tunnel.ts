import { spawn, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import { createInterface } from 'node:readline';
import { TunnelError, tunnelLaunch, type TunnelLaunch, type TunnelSpec } from './tunnelCommand';
import { ngrokApiPublicUrl, readTunnelLine } from './tunnelOutput';

export interface StartTunnelOptions {
  spec: TunnelSpec;
  /** The listener's port. */
  port: number;
  /** s3Hooks.tunnel.programPath: where cloudflared or ngrok is when not on PATH. */
  programPath?: string;
  env?: NodeJS.ProcessEnv;
  /** How long the program has to print its public URL. cloudflared usually needs 2-5 s. */
  timeoutMs?: number;
  /** Receives every line the program prints (stdout and stderr), for the log. */
  output?: (line: string) => void;
}

/** A tunnel program that announced its public URL. */
export interface RunningTunnel {
  /** The tunnel's https origin, e.g. `https://some-four-words.trycloudflare.com`. */
  readonly publicUrl: string;
  readonly label: string;
  readonly pid: number | undefined;
  /** Called once if the program exits by itself (not through {@link stop}). */
  onExit(listener: (code: number | null, lastLines: string[]) => void): void;
  /** Stops the program (SIGTERM to its process group, SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

const keptLines = 20;
const apiPollMs = 500;

/**
 * Starts a tunnel program for `port` and resolves once it has printed its
 * public URL (or, for ngrok, once its local API reports it). Rejects with a
 * {@link TunnelError} that says what to do: the program is missing, it exited
 * (ngrok without an authtoken, cloudflared without internet), or it printed
 * no URL in time. On rejection the program is stopped.
 */
export async function startTunnel(options: StartTunnelOptions): Promise<RunningTunnel> {
  const launch = tunnelLaunch(options.spec, options.port, { programPath: options.programPath, env: options.env });
  const child = spawn(launch.program, launch.args, {
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so that stopping a shell command line stops what the shell started too.
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
  const lastLines: string[] = [];
  const hints = new Set<string>();
  let exitListener: ((code: number | null, lines: string[]) => void) | undefined;
  let stopping = false;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  let found: (url: string) => void = () => undefined;
  const urlFound = new Promise<string>((resolve) => (found = resolve));
  let apiPoll: NodeJS.Timeout | undefined;
  const onLine = (line: string): void => {
    options.output?.(line);
    lastLines.push(line);
    if (lastLines.length > keptLines) {
      lastLines.shift();
    }
    const news = readTunnelLine(launch.kind, line);
    if (!news) {
      return;
    }
    if ('publicUrl' in news) {
      found(news.publicUrl);
    } else if ('hint' in news) {
      hints.add(news.hint);
    } else if (!apiPoll) {
      apiPoll = pollNgrokApi(news.apiAddress, options.port, found);
    }
  };
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
    }
  }
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const timeoutMs = options.timeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const first = await Promise.race([
    urlFound.then((url) => ({ url })),
    exited.then((code) => ({ code })),
    spawnError.then((error) => ({ error })),
    timedOut,
  ]);
  clearTimeout(timer);
  if (apiPoll) {
    clearInterval(apiPoll);
  }
  const stop = async (graceMs = 3000): Promise<void> => {
    stopping = true;
    await stopProcess(child, exited, graceMs);
  };
  if (typeof first === 'object' && 'url' in first) {
    void exited.then((code) => {
      if (!stopping) {
        exitListener?.(code, [...lastLines]);
      }
    });
    return {
      publicUrl: first.url,
      label: launch.label,
      pid: child.pid,
      onExit: (listener) => (exitListener = listener),
      stop,
    };
  }
  await stop(1000);
  throw failure(launch, first, timeoutMs, [...hints], [...lastLines]);
}

function failure(
  launch: TunnelLaunch,
  outcome: 'timeout' | { code: number | null } | { error: Error },
  timeoutMs: number,
  hints: string[],
  lines: string[],
): TunnelError {
  const tail = lines.length > 0 ? ` Its last output: ${lines.slice(-3).join(' / ')}` : '';
  const hint = hints.length > 0 ? ` ${hints.join(' ')}` : '';
  if (outcome === 'timeout') {
    return new TunnelError(`${launch.label} printed no public https URL within ${Math.round(timeoutMs / 1000)} s.${hint}${tail}`, lines);
  }
  if ('error' in outcome) {
    return new TunnelError(`${launch.label} could not be started: ${outcome.error.message}`, lines);
  }
  return new TunnelError(`${launch.label} exited (code ${String(outcome.code)}) before printing a public URL.${hint}${tail}`, lines);
}

/** Asks ngrok's local API for the tunnel's URL until it answers (the log may be configured away from stdout). */
function pollNgrokApi(address: string, port: number, found: (url: string) => void): NodeJS.Timeout {
  const base = /^https?:\/\//.test(address) ? address : `http://${address}`;
  const ask = (): void => {
    const req = http.get(new URL('/api/tunnels', base), { timeout: 2000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          const url = ngrokApiPublicUrl(JSON.parse(Buffer.concat(chunks).toString('utf8')), port);
          if (url) {
            found(url);
          }
        } catch {
          // Not ready yet: asked again on the next tick.
        }
      });
      res.on('error', () => undefined);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => undefined);
  };
  ask();
  return setInterval(ask, apiPollMs);
}

async function stopProcess(child: ChildProcess, exited: Promise<number | null>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
    return;
  }
  signal(child, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const done = await Promise.race([exited.then(() => true), new Promise<false>((r) => (timer = setTimeout(() => r(false), graceMs)))]);
  clearTimeout(timer);
  if (!done) {
    signal(child, 'SIGKILL');
    await exited;
  }
}

function signal(child: ChildProcess, name: NodeJS.Signals): void {
  try {
    if (process.platform !== 'win32' && child.pid !== undefined) {
      process.kill(-child.pid, name);
    } else {
      child.kill(name);
    }
  } catch {
    // Already gone.
  }
}
