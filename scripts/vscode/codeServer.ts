import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RealVsCode } from './install';

export interface CodeServerOptions {
  /** Folder code-server opens when the URL names none. */
  folder: string;
  /** Throwaway (tests) or per-session state folders. */
  userDataDir: string;
  extensionsDir: string;
  /** code-server writes a default config (with a password) here if it does not exist; keep it out of ~/.config. */
  configFile: string;
  /** 127.0.0.1 port; 0 (default) lets the system pick a free one. */
  port?: number;
  /**
   * Environment of the server, which the extension host inherits: variables
   * set here are added, `undefined` removes one.
   */
  env?: Record<string, string | undefined>;
  /** Each line code-server prints (its own log, not the workbench's). */
  onOutput?: (line: string) => void;
  /** User settings to write to `<userDataDir>/User/settings.json` when that file does not exist yet. */
  userSettings?: Record<string, unknown>;
  /**
   * VS Code's smoke-test driver (default true). Windows need it to honour the
   * development payload of {@link RunningCodeServer.workbenchUrl} (extension
   * development path, test runner) and for `window.driver`; it also keeps
   * notification toasts from showing (they only reach the Notifications
   * center). `npm start` turns it off and installs S3 Hooks instead.
   */
  smokeTestDriver?: boolean;
}

/** The workbench payload that turns a window into an Extension Development Host (and optionally runs tests). */
export interface WorkbenchOptions {
  /** Folder to open (absolute path on this machine). */
  folder: string;
  /** Absolute path of the extension to load from source, as `--extensionDevelopmentPath`. */
  extensionDevelopmentPath?: string;
  /** Absolute path of a compiled test runner module exporting `run()`, as `--extensionTestsPath`. */
  extensionTestsPath?: string;
  /** Skip the welcome page (default true); false lets `workbench.startupEditor` decide what opens first. */
  skipWelcome?: boolean;
}

export interface RunningCodeServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Resolves with the exit code when the server process ends (for any reason). */
  readonly exited: Promise<number | null>;
  workbenchUrl(options: WorkbenchOptions): string;
  /** Stops the server and every process it started (extension hosts, watchers, terminals). Safe to call twice. */
  stop(): Promise<void>;
}

const startTimeoutMs = 90_000;

/**
 * User settings for windows that tests drive: nothing that reaches for the
 * internet (extension gallery, AI features, update checks), no welcome pages.
 */
export const quietUserSettings: Record<string, unknown> = {
  'chat.disableAIFeatures': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'git.openRepositoryInParentFolders': 'never',
};

/**
 * Starts code-server on 127.0.0.1 with auth off, telemetry and update checks
 * off, workspace trust off, and VS Code's smoke-test driver on unless
 * {@link CodeServerOptions.smokeTestDriver} is false (without it the built
 * workbench ignores the development payload of {@link RunningCodeServer.workbenchUrl}).
 * Resolves once it listens.
 */
export async function startCodeServer(vscode: RealVsCode, options: CodeServerOptions): Promise<RunningCodeServer> {
  if (options.userSettings) {
    const settingsFile = join(options.userDataDir, 'User', 'settings.json');
    await mkdir(dirname(settingsFile), { recursive: true });
    await writeFile(settingsFile, `${JSON.stringify(options.userSettings, null, 2)}\n`, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') {
        throw error;
      }
    });
  }
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) {
      delete env[name];
    } else {
      env[name] = value;
    }
  }
  const args = [
    vscode.entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${options.port ?? 0}`,
    '--config', options.configFile,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir', options.userDataDir,
    '--extensions-dir', options.extensionsDir,
    ...(options.smokeTestDriver === false ? [] : ['--vscode-option', 'enable-smoke-test-driver']),
    options.folder,
  ];
  // Its own process group, so that stop() can end the whole tree, and so that Ctrl+C in the
  // terminal reaches only our process, which then stops the server in order.
  const child = spawn(vscode.node, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) {
    throw new Error(`Could not start code-server (${vscode.node} ${vscode.entry})`);
  }
  // Last resort if we exit without stop() (e.g. Ctrl+C while it was still starting): kill its group.
  const killGroupOnExit = () => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  process.once('exit', killGroupOnExit);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      process.removeListener('exit', killGroupOnExit);
      resolve(code);
    }),
  );
  let output = '';
  const listening = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start listening within ${startTimeoutMs / 1000} s:\n${output}`)), startTimeoutMs);
    const onLine = (line: string) => {
      output += `${line}\n`;
      options.onOutput?.(line);
      const match = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    lines(child.stdout, onLine);
    lines(child.stderr, onLine);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (code ${code}) before it was ready:\n${output}`));
    });
  });

  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= stopProcessTree(pid, exited));
  let port: number;
  try {
    port = await listening;
  } catch (error) {
    await stop();
    throw error;
  }
  const origin = `http://127.0.0.1:${port}`;
  return {
    port,
    origin,
    exited,
    stop,
    workbenchUrl({ folder, extensionDevelopmentPath, extensionTestsPath, skipWelcome = true }: WorkbenchOptions): string {
      // Paths on the server are addressed as vscode-remote URIs of this server.
      const remote = (path: string) => `vscode-remote://127.0.0.1:${port}${path}`;
      const payload: [string, string][] = skipWelcome ? [['skipWelcome', 'true']] : [];
      if (extensionDevelopmentPath) {
        payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
      }
      if (extensionTestsPath) {
        payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
      }
      const query = new URLSearchParams({ folder });
      if (payload.length > 0) {
        query.set('payload', JSON.stringify(payload));
      }
      return `${origin}/?${query.toString()}`;
    },
  };
}

function lines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buffered = '';
  stream.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      onLine(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
    }
  });
  stream.on('end', () => buffered && onLine(buffered));
}

/** Process ids of every descendant of `root`, read from /proc. */
export function descendantPids(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) {
      continue;
    }
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the command name, which is in parentheses and may contain spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  const visit = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(root);
  return found;
}

/** Whether `pid` is still running (a zombie, ended but not yet reaped, counts as gone). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function signal(pids: number[], groupLeader: number, name: NodeJS.Signals): void {
  for (const target of [-groupLeader, ...pids]) {
    try {
      process.kill(target, name);
    } catch {
      // Already gone.
    }
  }
}

/**
 * SIGTERM to the server's process group and to every descendant (terminals
 * start their own sessions), SIGKILL to whatever is left after 5 s; resolves
 * when none of them is running any more.
 */
async function stopProcessTree(pid: number, exited: Promise<number | null>): Promise<void> {
  const tree = [pid, ...descendantPids(pid)];
  signal(tree, pid, 'SIGTERM');
  const deadline = Date.now() + 5000;
  while (tree.some(alive) && Date.now() < deadline) {
    await sleep(100);
  }
  const left = [...tree, ...descendantPids(pid)].filter(alive);
  if (left.length > 0) {
    signal(left, pid, 'SIGKILL');
    const killDeadline = Date.now() + 5000;
    while (left.some(alive) && Date.now() < killDeadline) {
      await sleep(50);
    }
  }
  await Promise.race([exited, sleep(1000)]);
}
