import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real, small filesystem (tmpfs) that tests fill up to see what a full disk does. */
export interface SmallFilesystem {
  dir: string;
  /** Writes a file until the filesystem refuses (ENOSPC): nothing more fits. */
  fill(): void;
  /** Removes what {@link fill} wrote: space is back. With `bytes`, only about that much (whole pages) is freed. */
  free(bytes?: number): void;
  /** Unmounts and removes the mount point. */
  unmount(): void;
}

/**
 * Mounts a tmpfs of `size` (e.g. `1m`). Needs root, as CI runs; elsewhere run
 * the tests inside `unshare -rm` (a user namespace where you are root and may
 * mount). Never skips: without it the full-disk guarantees would go untested.
 */
export function mountSmallFilesystem(size = '1m'): SmallFilesystem {
  if (process.getuid?.() !== 0) {
    throw new Error('The full-disk tests mount a tmpfs: run them as root, or as `unshare -rm npx mocha …`.');
  }
  const dir = mkdtempSync(join(tmpdir(), 's3hooks-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  const filler = join(dir, 'filler');
  let fillers: string[] = [];
  return {
    dir,
    fill() {
      // Big pieces, then page-sized ones: a file that hits ENOSPC keeps what it got, so nothing is given back.
      for (const size of [64 * 1024, 4096, 512, 1]) {
        for (let i = 0; ; i++) {
          const file = `${filler}-${size}-${i}`;
          fillers.push(file);
          try {
            writeFileSync(file, Buffer.alloc(size, 1), { flag: 'wx' });
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') {
              throw err;
            }
            break;
          }
        }
      }
    },
    free(bytes?: number) {
      if (bytes === undefined) {
        for (const file of fillers) {
          rmSync(file, { force: true });
        }
        fillers = [];
        return;
      }
      // Page-sized fillers, one page each, until that much is free.
      const pages = fillers.filter((file) => file.startsWith(`${filler}-4096-`));
      for (let freed = 0; freed < bytes && pages.length > 0; freed += 4096) {
        const file = pages.pop()!;
        rmSync(file, { force: true });
        fillers = fillers.filter((f) => f !== file);
      }
    },
    unmount() {
      execFileSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
