import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RealVsCode } from './install';

const run = promisify(execFile);

/**
 * Runs `npm run package`'s vsce command (its arguments read from package.json, so the two cannot
 * drift apart) with the output going to `outFile`. Resolves with what vsce printed.
 */
export async function packageVsix(root: string, outFile: string): Promise<string> {
  const { scripts } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const [tool, ...args] = scripts.package.split(/\s+/);
  if (tool !== 'vsce') {
    throw new Error(`package.json's "package" script no longer runs vsce: ${scripts.package}`);
  }
  const { stdout, stderr } = await run(join(root, 'node_modules', '.bin', 'vsce'), [...args, '-o', outFile], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
  return `${stdout}${stderr}`;
}

/**
 * Installs a .vsix into `extensionsDir` with code-server's own CLI (`--install-extension`), as a user
 * would, and resolves with the extensions that folder then holds (`id@version` lines).
 */
export async function installVsix(vscode: RealVsCode, vsix: string, extensionsDir: string): Promise<{ output: string; installed: string[] }> {
  const install = await run(vscode.node, [vscode.entry, '--extensions-dir', extensionsDir, '--install-extension', vsix]);
  const list = await run(vscode.node, [vscode.entry, '--extensions-dir', extensionsDir, '--list-extensions', '--show-versions']);
  return { output: `${install.stdout}${install.stderr}`.trim(), installed: list.stdout.split('\n').map((l) => l.trim()).filter(Boolean) };
}
