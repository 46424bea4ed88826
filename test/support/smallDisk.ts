import { execFile } from 'node:child_process';

/** What a command run on a small disk printed, its exit code, and what the disk held afterwards. */
export interface SmallDiskRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Names in the mounted folder after the command ended. */
  left: string[];
}

const marker = '@@small-disk-listing@@';

/**
 * Runs a command with a real, small tmpfs mounted at `folder` (`size` like
 * `1m`, optionally read-only), in a private mount namespace: `unshare -m` as
 * root (how CI runs), `unshare -rm` otherwise. The mount exists only for that
 * command and vanishes with it, so a failed test leaves no mount behind.
 */
export function runOnSmallDisk(
  folder: string,
  disk: { size: string; readOnly?: boolean },
  argv: string[],
  env: Record<string, string> = {},
): Promise<SmallDiskRun> {
  const script = [
    'dir=$1; opts=$2; shift 2',
    'mount -t tmpfs -o "$opts" none "$dir" || exit 97',
    '"$@"; code=$?',
    `echo "${marker}"`,
    'ls -A "$dir"',
    'exit $code',
  ].join('\n');
  const unshare = process.getuid?.() === 0 ? ['-m'] : ['-r', '-m'];
  const opts = `size=${disk.size}${disk.readOnly ? ',ro' : ''}`;
  return new Promise((resolve, reject) => {
    execFile('unshare', [...unshare, 'sh', '-c', script, 'sh', folder, opts, ...argv], { env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? 1) : 0;
      const at = stdout.lastIndexOf(`${marker}\n`);
      if (code === 97 || at === -1) {
        reject(new Error(`could not mount a tmpfs for the test (unshare/mount failed): ${stderr}`));
        return;
      }
      const left = stdout
        .slice(at + marker.length + 1)
        .split('\n')
        .filter(Boolean);
      resolve({ code, stdout: stdout.slice(0, at), stderr, left });
    });
  });
}
