import { spawn, spawnSync } from 'node:child_process';

/** Debian packages the real-VS Code launcher needs, and what for. */
export const DebianPackages = {
  chromium: 'chromium',
  /** gssapi headers: code-server's `kerberos` native module does not build without them. */
  kerberosHeaders: 'libkrb5-dev',
} as const;

let aptUpdated = false;

/** The packages of `names` that dpkg does not report as installed. */
export function missingDebianPackages(names: readonly string[]): string[] {
  return names.filter((name) => {
    const query = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return query.error !== undefined || query.status !== 0 || !query.stdout.includes('install ok installed');
  });
}

/**
 * Makes sure Debian packages are installed. As root it runs `apt-get update`
 * (once per process) and `apt-get install -y`; otherwise it throws an error
 * that names the command to run.
 */
export async function ensureDebianPackages(names: readonly string[], why: string, log: (message: string) => void): Promise<void> {
  const missing = missingDebianPackages(names);
  if (missing.length === 0) {
    return;
  }
  const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `Missing Debian package(s) ${missing.join(', ')} (${why}). Install them as root and run again:\n  sudo sh -c '${command}'`,
    );
  }
  // Wait for dpkg's lock rather than failing if another apt-get (or a parallel run) holds it.
  const lockWait = ['-o', 'DPkg::Lock::Timeout=600'];
  if (!aptUpdated) {
    log(`Installing Debian package(s) ${missing.join(', ')} (${why}): apt-get update`);
    await run('apt-get', [...lockWait, 'update']);
    aptUpdated = true;
  }
  log(`apt-get install -y ${missing.join(' ')}`);
  await run('apt-get', [...lockWait, 'install', '-y', ...missing]);
  const still = missingDebianPackages(missing);
  if (still.length > 0) {
    throw new Error(`apt-get finished but ${still.join(', ')} is still not installed.`);
  }
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit code ${code}`})`)),
    );
  });
}
