// `npm run check:vsix`: the release check of the package a user installs. Runs `npm run package`
// (fails on any vsce warning), installs the .vsix into a throwaway code-server with code-server's own
// `--install-extension`, opens a window on a copy of the test fixtures, and waits for S3 Hooks to log
// its activation line; then opens the extension's page in the Extensions view and checks that it
// shows the icon and the README. Everything it starts is stopped on every way out.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Frame } from 'playwright-core';
import { Workbench } from '../test/ui/workbench';
import { launchChromium } from './vscode/browser';
import { quietUserSettings, startCodeServer } from './vscode/codeServer';
import { ensureRealVsCode } from './vscode/install';
import { stopList, stopOnSignals } from './vscode/lifecycle';
import { repoRoot, say } from './vscode/repo';
import { installVsix, packageVsix } from './vscode/vsix';

const root = repoRoot();
const log = (message: string) => say('check:vsix', message);
const { stops, stopAll } = stopList(log);

/** The webview frame that renders the extension's README (its body holds the README's first heading). */
async function readmeFrame(wb: Workbench, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of wb.page.frames()) {
      const found = await frame.evaluate("!!document.querySelector('h1') && document.body.innerText.includes('Feature tour')").catch(() => false);
      if (found) {
        return frame;
      }
    }
    await wb.page.waitForTimeout(500);
  }
  throw new Error('The extension page never showed the README');
}

async function main(): Promise<void> {
  const manifest = (await import(join(root, 'package.json'))) as { name: string; publisher: string; version: string };
  const id = `${manifest.publisher}.${manifest.name}`;
  const vscode = await ensureRealVsCode({ cacheDir: process.env.S3_HOOKS_VSCODE_CACHE ?? join(root, '.vscode-test'), log });
  const temp = await mkdtemp(join(tmpdir(), 's3-hooks-check-vsix-'));
  stops.push({ what: `remove ${temp}`, run: () => rm(temp, { recursive: true, force: true }) });

  const vsix = join(temp, `${manifest.name}-${manifest.version}.vsix`);
  log('npm run package');
  const packaged = await packageVsix(root, vsix);
  const warnings = packaged.split('\n').filter((line) => /warning/i.test(line));
  if (warnings.length > 0) {
    throw new Error(`vsce warned:\n${warnings.join('\n')}`);
  }
  log(`  ${packaged.trim().split('\n').pop() ?? ''}`);

  const extensionsDir = join(temp, 'extensions');
  const { output, installed } = await installVsix(vscode, vsix, extensionsDir);
  log(`  ${output.split('\n').pop() ?? ''}`);
  if (!installed.includes(`${id}@${manifest.version}`)) {
    throw new Error(`code-server --list-extensions does not show ${id}@${manifest.version}: ${installed.join(', ')}`);
  }
  log(`  code-server --list-extensions --show-versions: ${installed.join(', ')}`);

  const workspace = join(temp, 'workspace');
  await cp(join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  const server = await startCodeServer(vscode, {
    folder: workspace,
    userDataDir: join(temp, 'user-data'),
    extensionsDir,
    configFile: join(temp, 'code-server.yaml'),
    userSettings: { ...quietUserSettings, 'remote.autoForwardPorts': false },
    env: { XDG_DATA_HOME: join(temp, 'xdg-data'), EXTENSIONS_GALLERY: '{}' },
  });
  stops.push({ what: 'stop code-server', run: () => server.stop() });
  const browser: Browser = await launchChromium(log);
  stops.push({ what: 'close Chromium', run: () => browser.close() });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(30_000);
  await page.goto(server.workbenchUrl({ folder: workspace }));
  const wb = new Workbench(page, workspace, join(root, 'test-results'));
  await wb.ready();
  log(`${vscode.version}: the S3 Hooks activity-bar icon is there`);
  try {
    await checkWindow(wb);
  } catch (error) {
    log(`the window at the failure: ${await wb.screenshot('check-vsix-failed')}`);
    throw error;
  }
}

async function checkWindow(wb: Workbench): Promise<void> {
  const { page } = wb;

  await wb.runCommand('S3 Hooks: Show Log');
  const activated = wb.panel().locator('.view-lines', { hasText: /S3\sHooks\s\S+\sactivated\sin/ });
  await activated.waitFor({ state: 'visible' });
  const line = /S3 Hooks \S+ activated in [\d.]+\s*ms/.exec((await activated.innerText()).replace(/\u00a0/g, ' '))?.[0];
  log(`  the S3 Hooks log says: "${line ?? '(activation line)'}"`);

  await wb.runCommand('View: Hide Panel');
  await wb.runCommand('Extensions: Show Installed Extensions');
  const entry = page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'S3 Hooks' }).first();
  await entry.click();
  await page.locator('.extension-editor .name', { hasText: 'S3 Hooks' }).first().waitFor({ state: 'visible' });
  const icon = await page.evaluate<boolean>(
    "[...document.querySelectorAll('.extension-editor .header img')].some((img) => img.complete && img.naturalWidth === 128)",
  );
  if (!icon) {
    throw new Error('The extension page does not show the 128×128 icon');
  }
  const frame = await readmeFrame(wb);
  const headings = await frame.evaluate<string[]>("[...document.querySelectorAll('h2')].map((h) => h.textContent ?? '')");
  await wb.screenshot('check-vsix-extension-page');
  log(`  the extension page shows the icon and the README (${headings.length} sections: ${headings.slice(0, 6).join(', ')}, …);`);
  log('  its pictures are links into the repository (not in the package): test-results/check-vsix-extension-page.png');
}

stopOnSignals(log, stopAll);

main().then(
  async () => {
    await stopAll();
    log('OK');
  },
  async (error: unknown) => {
    log(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
    await stopAll();
    process.exit(1);
  },
);
