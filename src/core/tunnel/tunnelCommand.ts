import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { TunnelKind } from './tunnelOutput';

/** Which tunnel to run: cloudflared's quick tunnel, ngrok, or the user's command line with `${port}` in it. */
export type TunnelSpec = { kind: 'cloudflared' } | { kind: 'ngrok' } | { kind: 'command'; command: string };

/** What is started for a tunnel: a program and its arguments, or a shell command line. */
export interface TunnelLaunch {
  kind: TunnelKind;
  /** Shown in messages and the log: `cloudflared`, `ngrok`, or the command line. */
  label: string;
  /** Absolute path of the program, or the shell for a command line. */
  program: string;
  args: string[];
}

/** Why a tunnel cannot start, with what to do. */
export class TunnelError extends Error {
  constructor(
    message: string,
    /** The last lines the program printed, for the log. */
    readonly output: string[] = [],
  ) {
    super(message);
    this.name = 'TunnelError';
  }
}

/**
 * Reads a tunnel choice as the user writes it (`--tunnel`, the setting):
 * `cloudflared`, `ngrok`, or a command line that contains `${port}`.
 */
export function parseTunnelSpec(value: string): TunnelSpec {
  const text = value.trim();
  if (text === 'cloudflared' || text === 'ngrok') {
    return { kind: text };
  }
  if (!text.includes('${port}')) {
    throw new TunnelError(
      `"${text}" is neither cloudflared, ngrok, nor a command line with \${port} in it (for example 'ssh -R 80:127.0.0.1:\${port} nokey@localhost.run').`,
    );
  }
  return { kind: 'command', command: text };
}

/** How to install a missing tunnel program. */
export function installHint(kind: 'cloudflared' | 'ngrok'): string {
  return kind === 'cloudflared'
    ? 'Install cloudflared (no account needed for quick tunnels): https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/downloads/ ' +
        '(macOS: brew install cloudflared; Windows: winget install --id Cloudflare.cloudflared; Debian/Ubuntu: the .deb from that page or pkg.cloudflare.com), ' +
        'or set s3Hooks.tunnel.programPath to where it is.'
    : 'Install ngrok from https://ngrok.com/download and add your free account\'s authtoken with `ngrok config add-authtoken <token>`, or set s3Hooks.tunnel.programPath to where it is.';
}

/**
 * The absolute path of `name` on `PATH` (each directory in turn; on Windows
 * also with the `PATHEXT` extensions), or undefined.
 */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';')] : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      if (isExecutableFile(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) {
      return false;
    }
    accessSync(file, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * What to start for `spec` and the listener's `port`. `programPath` (the
 * `s3Hooks.tunnel.programPath` setting) overrides the `PATH` lookup for
 * cloudflared and ngrok. Throws a {@link TunnelError} that says how to get
 * the program when it is missing.
 */
export function tunnelLaunch(spec: TunnelSpec, port: number, options: { programPath?: string; env?: NodeJS.ProcessEnv } = {}): TunnelLaunch {
  if (spec.kind === 'command') {
    const line = spec.command.split('${port}').join(String(port));
    const shell = process.platform === 'win32' ? (options.env?.ComSpec ?? 'cmd.exe') : '/bin/sh';
    return { kind: 'command', label: line, program: shell, args: process.platform === 'win32' ? ['/d', '/s', '/c', line] : ['-c', line] };
  }
  const configured = options.programPath?.trim();
  let program: string | undefined;
  if (configured) {
    if (!isAbsolute(configured) || !isExecutableFile(configured)) {
      throw new TunnelError(`s3Hooks.tunnel.programPath is ${configured}, which is not an executable file. ${installHint(spec.kind)}`);
    }
    program = configured;
  } else {
    program = findOnPath(spec.kind, options.env);
  }
  if (!program) {
    throw new TunnelError(`${spec.kind} is not on your PATH. ${installHint(spec.kind)}`);
  }
  const local = `http://127.0.0.1:${port}`;
  const args =
    spec.kind === 'cloudflared'
      ? ['tunnel', '--no-autoupdate', '--url', local]
      : ['http', local, '--log', 'stdout', '--log-format', 'json'];
  return { kind: spec.kind, label: spec.kind, program, args };
}
