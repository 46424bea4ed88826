// `npm run test:integration`: runs the integration suite inside a real VS Code (code-server's
// VS Code 1.139 in headless Chromium), then the UI suites against a second window. See test/README.md.
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchChromium } from '../scripts/vscode/browser';
import { quietUserSettings, startCodeServer, type RunningCodeServer } from '../scripts/vscode/codeServer';
import { ensureRealVsCode } from '../scripts/vscode/install';
import { repoRoot, say, whenParentEnds } from '../scripts/vscode/repo';
import { runMochaFolder } from './support/mochaFolder';
import { setWorkbench, Workbench } from './ui/workbench';

const root = repoRoot();
const log = (message: string) => say('vscode-test', message);
const verbose = process.env.S3_HOOKS_TEST_VERBOSE === '1';
/** Hard limit for everything after the install: start, both suites, shutdown. */
const timeLimitS = Number(process.env.S3_HOOKS_TEST_TIMEOUT ?? 600);
const uiTestTimeoutMs = 60_000;
/** Marks where the suite's output begins and ends in the workbench's log (see relayLog). */
const logMark = `<s3-hooks-test-${randomBytes(4).toString('hex')}>`;
/** The workbench's own log, shown with S3_HOOKS_TEST_VERBOSE=1, and its tail when something goes wrong. */
const workbenchLog: string[] = [];
const workbenchLogTail = 60;
/** Workbench chatter that can arrive while the suite runs; it goes to the workbench log, not the report. */
const workbenchChatter = [
  /^Ignoring fetching additional builtin extensions/,
  /^Updating additional builtin extensions cache/,
  /^\[(AccountPolicyGate|AgentHost|ChatModelSelection)[\]:]/,
];

/** Things to stop, newest first; runs once whatever the path out (success, failure, timeout, signal). */
class Cleanup {
  private readonly steps: { what: string; run: () => Promise<unknown> }[] = [];
  private running: Promise<void> | undefined;

  add(what: string, run: () => Promise<unknown>): void {
    this.steps.unshift({ what, run });
  }

  run(): Promise<void> {
    return (this.running ??= (async () => {
      for (const step of this.steps) {
        try {
          await Promise.race([step.run(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), 15_000))]);
        } catch (error) {
          log(`Could not ${step.what}: ${(error as Error).message}`);
        }
      }
    })());
  }
}

class TimeLimitError extends Error {}

/** What the run is doing, for the time-limit message. */
let phase = 'starting code-server';

async function main(cleanup: Cleanup): Promise<number> {
  const started = Date.now();
  const vscode = await ensureRealVsCode({ cacheDir: process.env.S3_HOOKS_VSCODE_CACHE ?? join(root, '.vscode-test'), log });

  let timer: NodeJS.Timeout | undefined;
  const timeLimit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new TimeLimitError(
            `Time limit of ${timeLimitS} s (S3_HOOKS_TEST_TIMEOUT) reached while ${phase}; stopping everything.` +
              (phase.startsWith('waiting for the extension-host suite')
                ? ' The suite never reported its result: a test or hook that never finishes, or a window that failed to load?'
                : ''),
          ),
        ),
      timeLimitS * 1000,
    );
  });
  cleanup.add('clear the time limit', () => Promise.resolve(clearTimeout(timer)));
  return Promise.race([timeLimit, runSuites(cleanup, vscode, started)]);
}

async function runSuites(cleanup: Cleanup, vscode: Awaited<ReturnType<typeof ensureRealVsCode>>, started: number): Promise<number> {
  const temp = await mkdtemp(join(tmpdir(), 's3-hooks-vscode-test-'));
  cleanup.add(`remove ${temp}`, () => rm(temp, { recursive: true, force: true }));
  const fixtures = join(root, 'test', 'fixtures', 'workspace');
  const suiteWorkspace = join(temp, 'workspace');
  const uiWorkspace = join(temp, 'ui-workspace');
  await cp(fixtures, suiteWorkspace, { recursive: true });
  await cp(fixtures, uiWorkspace, { recursive: true });

  log(`Starting ${vscode.version}`);
  const server = await startCodeServer(vscode, {
    folder: suiteWorkspace,
    userDataDir: join(temp, 'user-data'),
    extensionsDir: join(temp, 'extensions'),
    configFile: join(temp, 'code-server.yaml'),
    userSettings: quietUserSettings,
    env: {
      XDG_DATA_HOME: join(temp, 'xdg-data'),
      // No extension gallery: tests install nothing, and the machines that run them reach only npm.
      EXTENSIONS_GALLERY: '{}',
      S3_HOOKS_TEST_COLOR: process.stdout.isTTY ? '1' : '0',
      S3_HOOKS_TEST_LOG_MARK: logMark,
    },
    onOutput: verbose ? (line) => say('code-server', line) : undefined,
  });
  cleanup.add('stop code-server', () => server.stop());
  log(`code-server listening on ${server.origin}`);
  void server.exited.then((code) => log(`code-server exited (code ${code})`));

  phase = 'starting Chromium';
  const browser: Browser = await launchChromium(log);
  cleanup.add('close Chromium', () => browser.close());
  // Clipboard permissions as a person's browser grants them on first use: without them a command that
  // copies (Compute Confirmation Signature, Copy to Clipboard) can wait on the browser's clipboard forever.
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });

  const suiteStarted = Date.now();
  const suiteCode = await runExtensionHostSuite(context, server, suiteWorkspace);
  log(`Extension-host suite ${suiteCode === 0 ? 'passed' : 'FAILED'} (${seconds(suiteStarted)})`);
  if (suiteCode !== 0) {
    printWorkbenchLogTail();
  }

  const uiStarted = Date.now();
  const uiFailures = await runUiSuites(context, server, uiWorkspace);
  log(`UI suites ${uiFailures === 0 ? 'passed' : `FAILED (${uiFailures} failure(s))`} (${seconds(uiStarted)})`);
  log(`Total ${seconds(started)}`);
  return suiteCode !== 0 || uiFailures > 0 ? 1 : 0;
}

/**
 * Opens a window whose payload names the extension and the test runner; the
 * workbench runs out/test/integration/index.js in the extension host, sends
 * the extension host's console (mocha's report) to codeAutomationLog, and
 * calls codeAutomationExit with 0 when run() resolved, 1 when it rejected.
 */
async function runExtensionHostSuite(context: BrowserContext, server: RunningCodeServer, folder: string): Promise<number> {
  const page = await context.newPage();
  let exit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (exit = resolve));
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => relayLog(type, args));
  await page.exposeFunction('codeAutomationExit', (code: number) => exit(code));
  page.on('crash', () => {
    log('The browser page crashed.');
    exit(1);
  });
  if (verbose) {
    page.on('console', (message) => say('browser', message.text()));
  }
  const url = server.workbenchUrl({
    folder,
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'out', 'test', 'integration', 'index.js'),
  });
  log('Running the extension-host suite (out/test/integration/**/*.test.js)');
  phase = 'waiting for the extension-host suite to report (codeAutomationExit)';
  await page.goto(url);
  const code = await exited;
  await page.close();
  return code;
}

/**
 * The workbench sends its whole log here while tests run. test/integration/index.ts
 * logs `<mark>begin` and `<mark>end` around the suite: print what comes in
 * between (mocha's report and the extension host's console). Keep the rest for
 * S3_HOOKS_TEST_VERBOSE=1 and for the tail printed on failure.
 */
function relayLog(type: string, args: unknown[]): void {
  const text = format(...args);
  if (text.includes(logMark)) {
    relaying = text.includes(`${logMark}begin`);
    return;
  }
  if (relaying && !workbenchChatter.some((pattern) => pattern.test(text))) {
    (type === 'error' ? process.stderr : process.stdout).write(`${text}\n`);
    return;
  }
  workbenchLog.push(`[workbench ${type}] ${text}`);
  if (workbenchLog.length > workbenchLogTail) {
    workbenchLog.shift();
  }
  if (verbose) {
    say('workbench', `${type}: ${text}`);
  }
}
let relaying = false;

function printWorkbenchLogTail(): void {
  if (!verbose && workbenchLog.length > 0) {
    log(`Last ${workbenchLog.length} lines of the workbench's log (all of it with S3_HOOKS_TEST_VERBOSE=1):`);
    process.stdout.write(`${workbenchLog.join('\n')}\n`);
  }
}

/**
 * Opens a second window (S3 Hooks loaded from the repository, no test runner)
 * on its own copy of the fixtures, and runs out/test/ui/**\/*.test.js here in
 * Node against it. Failed tests leave a screenshot in test-results/.
 */
async function runUiSuites(context: BrowserContext, server: RunningCodeServer, folder: string): Promise<number> {
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  if (verbose) {
    page.on('console', (message) => say('browser', message.text()));
  }
  phase = 'running the UI suites';
  await page.goto(server.workbenchUrl({ folder, extensionDevelopmentPath: root }));
  const wb = new Workbench(page, folder, join(root, 'test-results'));
  log('Running the UI suites (out/test/ui/**/*.test.js)');
  await wb.ready();
  setWorkbench(wb);
  try {
    return await runMochaFolder({
      folder: join(root, 'out', 'test', 'ui'),
      sourceFolder: join(root, 'test', 'ui'),
      timeout: uiTestTimeoutMs,
      beforeEachTest: () => wb.settle(),
      afterFailedTest: async (title) => {
        const path = await wb.screenshot(`failed-${title}`);
        log(`Screenshot of the failure: ${path}`);
      },
    });
  } finally {
    setWorkbench(undefined);
    await page.close();
  }
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

const cleanup = new Cleanup();
let finishing = false;
async function finish(code: number): Promise<never> {
  finishing = true;
  await cleanup.run();
  process.exit(code);
}
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping everything this run started`);
    if (!finishing) {
      void finish(code);
    }
  });
}
whenParentEnds(() => {
  log('The process that started this run has ended: stopping everything this run started');
  if (!finishing) {
    void finish(1);
  }
});
main(cleanup).then(
  (code) => finish(code),
  (error: unknown) => {
    log(error instanceof TimeLimitError ? error.message : `Failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    printWorkbenchLogTail();
    return finish(1);
  },
);
