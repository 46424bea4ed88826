// `npm run test:electron`: the same compiled integration suite in desktop VS Code, through
// @vscode/test-electron. It downloads VS Code from the internet, so it works on a contributor's own
// computer but not on the build machines (use `npm run test:integration` there). Not part of `npm test`.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { RealVsCodeVersions } from '../scripts/vscode/install';
import { repoRoot } from '../scripts/vscode/repo';

async function main(): Promise<number> {
  const root = repoRoot();
  const temp = await mkdtemp(join(tmpdir(), 's3-hooks-electron-test-'));
  try {
    // A fresh copy of the fixtures, as with code-server: tests may change files in the workspace.
    const workspace = join(temp, 'workspace');
    await cp(join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
    return await runTests({
      version: process.env.S3_HOOKS_VSCODE_VERSION ?? RealVsCodeVersions.vscode,
      extensionDevelopmentPath: root,
      extensionTestsPath: join(root, 'out', 'test', 'integration', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', join(temp, 'user-data')],
    });
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`Integration tests in desktop VS Code failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
