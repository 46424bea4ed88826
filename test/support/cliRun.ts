import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The built CLI. */
export const cliPath = join(__dirname, '..', '..', 'dist', 'cli.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A clean environment: credentials only from what the test passes (no ~/.aws,
 * no instance metadata), like a fresh machine.
 */
export function cleanCliEnv(env: Record<string, string> = {}, home = tmpdir()): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...env,
  };
}

/** Runs the built CLI to the end in {@link cleanCliEnv}; `stdin` is written to its input (closed empty otherwise). */
export function runCli(args: string[], env: Record<string, string> = {}, home = tmpdir(), stdin?: string): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [cliPath, ...args], { env: cleanCliEnv(env, home) }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    child.stdin?.end(stdin ?? '');
  });
}

/** Starts the built CLI and lets the test act while it runs (watch modes); `done` resolves at exit. */
export function startCli(args: string[], env: Record<string, string> = {}): { child: ChildProcessWithoutNullStreams; output(): string; waitFor(pattern: RegExp): Promise<void>; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [cliPath, ...args], { env: cleanCliEnv(env) });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve(): void }[] = [];
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    for (const w of waiters.filter((x) => x.pattern.test(stdout))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliRun>((resolve) => child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr })));
  return {
    child,
    output: () => stdout,
    waitFor: (pattern) =>
      pattern.test(stdout)
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            waiters.push({ pattern, resolve });
            void done.then((r) => reject(new Error(`the CLI exited (${r.code}) before printing ${pattern}: ${r.stdout}${r.stderr}`)));
          }),
    done,
  };
}
