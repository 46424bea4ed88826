/**
 * Run by `npm run bench` before the sections: the download section compares
 * with curl and aria2c (`aria2c -x8 -s8`, the reference for parallel
 * single-file downloads), so their Debian packages are installed here (as
 * root, like the VS Code test harness does for chromium), or the command to
 * install them is printed. The section itself installs nothing.
 */
import { ensureDebianPackages } from './vscode/debianPackages';

ensureDebianPackages(['curl', 'aria2'], 'npm run bench compares downloads with curl and aria2c', (m) => console.log(m)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
