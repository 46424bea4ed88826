import { join } from 'node:path';
import { runMochaFolder } from '../support/mochaFolder';

/**
 * The extension-tests entry point (`extensionTestsPath`): VS Code loads this
 * module in the extension host and awaits `run()`. Runner-agnostic: both
 * test/runInVsCode.ts (code-server) and test/runInElectron.ts
 * (@vscode/test-electron) use it.
 */
export async function run(): Promise<void> {
  // In code-server the extension host's console reaches the launcher mixed with the workbench's own
  // log; these two lines tell it where the suite's output starts and ends (see test/runInVsCode.ts).
  const mark = process.env.S3_HOOKS_TEST_LOG_MARK;
  if (mark) {
    console.log(`${mark}begin`);
  }
  try {
    const failures = await runMochaFolder({
      folder: __dirname,
      // out/test/integration → test/integration
      sourceFolder: join(__dirname, '..', '..', '..', 'test', 'integration'),
      timeout: 30_000,
    });
    if (failures > 0) {
      throw new Error(`${failures} integration test(s) failed.`);
    }
  } finally {
    if (mark) {
      console.log(`${mark}end`);
    }
  }
}
