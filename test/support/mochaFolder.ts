import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export interface MochaFolderOptions {
  /** Folder whose `*.test.js` files (recursively) are the suite. */
  folder: string;
  /** Per-test timeout in ms. */
  timeout: number;
  /**
   * Folder of the TypeScript sources of `folder`. When given, a compiled test
   * whose `.ts` source no longer exists (renamed or deleted; out/ is not
   * cleaned, since parallel runs share it) is left out, with a note.
   */
  sourceFolder?: string;
  /** Called after each failed test with its full title (e.g. to save a screenshot). */
  afterFailedTest?: (title: string) => Promise<void>;
  /** Called before every test (e.g. to put shared state back to a known one). */
  beforeEachTest?: () => Promise<void>;
}

/**
 * Runs every compiled `*.test.js` under a folder with Mocha and resolves with
 * the number of failures. Test files may use the BDD style
 * (`describe`/`it`/`before`/`after`) or the TDD style
 * (`suite`/`test`/`suiteSetup`/`suiteTeardown`), one style per file.
 * `S3_HOOKS_TEST_GREP` selects tests by title; `S3_HOOKS_TEST_COLOR=1` forces colours.
 */
export function runMochaFolder({ folder, timeout, sourceFolder, afterFailedTest, beforeEachTest }: MochaFolderOptions): Promise<number> {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    timeout,
    color: process.env.S3_HOOKS_TEST_COLOR === '1',
    grep: process.env.S3_HOOKS_TEST_GREP || undefined,
    rootHooks: {
      async beforeEach() {
        await beforeEachTest?.();
      },
      async afterEach(this: Mocha.Context) {
        if (afterFailedTest && this.currentTest?.state === 'failed') {
          await afterFailedTest(this.currentTest.fullTitle());
        }
      },
    },
  });
  // TDD's globals alongside BDD's: each interface binds its own names when a file is loaded.
  Mocha.interfaces.tdd(mocha.suite);
  const files = (readdirSync(folder, { recursive: true }) as string[]).filter((name) => name.endsWith('.test.js')).sort();
  for (const file of files) {
    if (sourceFolder && !existsSync(join(sourceFolder, file.replace(/\.js$/, '.ts')))) {
      console.log(`(not running ${file}: compiled from a test file that no longer exists)`);
      continue;
    }
    mocha.addFile(join(folder, file));
  }
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => resolve(failures));
    } catch (error) {
      // A test file that throws while loading.
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
