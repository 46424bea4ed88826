import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The repository root: the nearest folder above `from` that holds S3 Hooks'
 * package.json and tsconfig.json (out/ has a copy of package.json but no
 * tsconfig.json). Works the same from the TypeScript sources and from out/.
 */
export function repoRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && existsSync(join(dir, 'tsconfig.json')) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 's3-hooks') {
      return dir;
    }
    if (dirname(dir) === dir) {
      throw new Error(`Could not find the s3-hooks package.json above ${from}`);
    }
  }
}

/** Prints one progress line of the launcher scripts, prefixed so it stands out from tool output. */
export function say(prefix: string, message: string): void {
  process.stdout.write(`[${prefix}] ${message}\n`);
}

/**
 * Calls `onOrphaned` once if the process that started us (npm, a shell) ends
 * without its signal reaching us (e.g. it was SIGKILLed), so that servers we
 * started are not left running.
 */
export function whenParentEnds(onOrphaned: () => void): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      onOrphaned();
    }
  }, 2000);
  timer.unref();
}
