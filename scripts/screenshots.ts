// `npm run screenshots`: the README's pictures, taken from the real workbench. Packages S3 Hooks,
// installs the .vsix into a throwaway code-server (the test harness's, with its Chromium and
// playwright), opens a copy of sample/ against an embedded SigV4-verifying S3 server, drives real
// actions (Create Callback JSON, start the listener, send test events, Fetch File), and saves PNGs to
// media/screenshots/. Everything it starts is stopped on every way out.
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from '@20minutes/s3rver';
import type { Browser, Locator, Page } from 'playwright-core';
import { Workbench } from '../test/ui/workbench';
import { demoSteps, setJsoncSetting, type DemoContext, type DemoS3 } from './demo/demoContent';
import { launchChromium } from './vscode/browser';
import { quietUserSettings, startCodeServer, type RunningCodeServer } from './vscode/codeServer';
import { ensureRealVsCode } from './vscode/install';
import { portIsFree, stopList, stopOnSignals } from './vscode/lifecycle';
import { repoRoot, say } from './vscode/repo';
import { installVsix, packageVsix } from './vscode/vsix';

const root = repoRoot();
const log = (message: string) => say('screenshots', message);
const outDir = join(root, 'media', 'screenshots');
const viewport = { width: 1280, height: 800 };
const s3Keys = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const bucket = 'demo-bucket';
const region = 'us-east-1';
/** The keybinding that creates the callback JSON (the argument form the README documents). */
const callbackKey = 'ctrl+alt+k';

const { stops, stopAll } = stopList(log);

async function startS3(directory: string): Promise<DemoS3> {
  await mkdir(directory, { recursive: true });
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: bucket }] });
  const address = await server.run();
  stops.push({ what: 'stop the S3 server', run: () => server.close() });
  const endpoint = `http://127.0.0.1:${address.port}`;
  return { endpoint, port: address.port, region, bucket, forcePathStyle: true, connection: { region, endpoint, forcePathStyle: true, credentials: { ...s3Keys } } };
}

/** A copy of sample/ without what `npm start` generates there, with the demo content made against `s3`. */
async function prepareWorkspace(folder: string, s3: DemoS3, listenerPort: number): Promise<void> {
  await cp(join(root, 'sample'), folder, {
    recursive: true,
    filter: (source) => !/[/\\]sample[/\\](live|s3-downloads|\.s3-hooks)([/\\]|$)|[/\\]\.vscode[/\\]settings\.json$/.test(source),
  });
  const settingsFile = join(folder, '.vscode', 'settings.json');
  const demo: DemoContext = {
    s3,
    sampleDir: folder,
    liveDir: join(folder, 'live'),
    setSampleSetting: (key, value) => setJsoncSetting(settingsFile, key, value),
    log: (message) => log(`  ${message}`),
  };
  await mkdir(demo.liveDir, { recursive: true });
  await demo.setSampleSetting('s3Hooks.s3.endpoint', s3.endpoint);
  await demo.setSampleSetting('s3Hooks.s3.forcePathStyle', true);
  await demo.setSampleSetting('s3Hooks.s3.region', s3.region);
  await demo.setSampleSetting('s3Hooks.listener.port', listenerPort);
  for (const step of demoSteps) {
    log(`Demo content: ${step.title}`);
    await step.run(demo);
  }
  // The schema picture: the broken callback document of the schema tests.
  await cp(join(root, 'test', 'fixtures', 'schemas', 'broken.callback.json'), join(folder, 'broken.callback.json'));
}

/** Saves a PNG of the whole window, or of `clip`. */
async function shoot(page: Page, name: string, clip?: { x: number; y: number; width: number; height: number }): Promise<void> {
  const path = join(outDir, `${name}.png`);
  // Let animations (hover fade-in, progress) settle.
  await page.waitForTimeout(400);
  await page.screenshot({ path, clip });
  log(`  media/screenshots/${name}.png`);
}

/** The rectangle around several elements, padded and kept inside the window. */
async function around(locators: Locator[], pad = 12): Promise<{ x: number; y: number; width: number; height: number }> {
  const boxes = (await Promise.all(locators.map((l) => l.boundingBox()))).filter((b) => b !== null);
  if (boxes.length === 0) {
    throw new Error('Nothing to frame: none of the elements is visible');
  }
  const x = Math.max(0, Math.min(...boxes.map((b) => b.x)) - pad);
  const y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - pad);
  const right = Math.min(viewport.width, Math.max(...boxes.map((b) => b.x + b.width)) + pad);
  const bottom = Math.min(viewport.height, Math.max(...boxes.map((b) => b.y + b.height)) + pad);
  return { x, y, width: right - x, height: bottom - y };
}

/** Quick Open (Ctrl+P) a workspace file by its path. */
async function openFile(wb: Workbench, path: string): Promise<void> {
  await wb.page.keyboard.press('Control+P');
  const input = wb.page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(path);
  await wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: path.split('/').pop() }).first().waitFor({ state: 'visible' });
  await wb.page.keyboard.press('Enter');
  await wb.page.locator('.part.editor .tab.active', { hasText: path.split('/').pop() }).waitFor({ state: 'visible' });
}

/** Runs a command from the palette that opens a Quick Pick of its own (Workbench.runCommand waits for the palette to close). */
async function commandWithQuickPick(wb: Workbench, title: string): Promise<void> {
  await wb.page.keyboard.press('F1');
  const input = wb.page.locator('.quick-input-widget .quick-input-box input');
  await input.fill(`>${title}`);
  await wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible' });
  await wb.page.keyboard.press('Enter');
}

/** Closes every editor, without saving untitled ones (the callback JSON). */
async function closeAllEditors(wb: Workbench): Promise<void> {
  await wb.runCommand('View: Close All Editors');
  const dontSave = wb.page.locator('.monaco-dialog-box .monaco-button', { hasText: "Don't Save" });
  while (await dontSave.isVisible({ timeout: 1000 }).catch(() => false)) {
    await dontSave.click();
    await wb.page.waitForTimeout(300);
  }
}

/** Widens the primary side bar to `width` pixels by dragging its sash, so that labels are not cut off. */
async function widenSideBar(wb: Workbench, width: number): Promise<void> {
  const box = await wb.page.locator('.part.sidebar').boundingBox();
  if (!box) {
    return;
  }
  const edge = box.x + box.width;
  await wb.page.mouse.move(edge, box.y + box.height / 2);
  await wb.page.mouse.down();
  await wb.page.mouse.move(box.x + width, box.y + box.height / 2, { steps: 5 });
  await wb.page.mouse.up();
}

const statusItem = (wb: Workbench, text: string | RegExp) => wb.page.locator('.part.statusbar .statusbar-item', { hasText: text }).first();
const hover = (wb: Workbench) => wb.page.locator('.workbench-hover, .monaco-hover:not(.hidden)').filter({ visible: true }).first();

async function takeScreenshots(wb: Workbench): Promise<void> {
  const { page } = wb;
  await mkdir(outDir, { recursive: true });
  // Room for the editor: no secondary side bar (chat) in the pictures.
  await page.keyboard.press('Control+Alt+B');
  await page.waitForTimeout(300);
  if (await page.locator('.part.auxiliarybar').isVisible()) {
    await page.keyboard.press('Control+Alt+B');
  }

  await wb.openViewContainer('S3 Hooks');
  await widenSideBar(wb, 400);

  // A new user opens Get Started first (the views' welcome content links it); this also starts VS Code's
  // walkthrough service, which ticks steps off as their commands run.
  await wb.runCommand('S3 Hooks: Open Getting Started');
  await page.locator('.gettingStartedContainer .getting-started-step').first().waitFor({ state: 'visible' });
  // The walkthrough moves focus to its first step once laid out; a palette opened before that closes again.
  await page.waitForTimeout(1500);
  await closeAllEditors(wb);

  log('Callback JSON (Create Callback JSON… with an argument object, from a keybinding)');
  await wb.openViewContainer('Explorer');
  await page.locator('.part.editor').click();
  await page.keyboard.press('Control+Alt+K');
  await page.locator('.part.editor .view-lines', { hasText: '"publish"' }).waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator('.part.editor .codelens-decoration', { hasText: /Fetch|Test/ }).first().waitFor({ state: 'visible', timeout: 10_000 }).catch(() => undefined);
  // Unwrapped, the callbacks' structure shows at a glance (the URLs run off to the right).
  await page.keyboard.press('Alt+Z');
  await page.locator('[id="status.notifications"]').click();
  await page.locator('.notifications-center .notification-list-item', { hasText: /presigned PUT URL/ }).first().waitFor({ state: 'visible' });
  await page.mouse.move(1000, 16); // off the bell: no "Hide Notifications" tooltip
  await shoot(page, 'callback-json');
  await page.locator('[id="status.notifications"]').click();

  log('Webhook listener: start it from the status bar, send three test events');
  await wb.openViewContainer('S3 Hooks');
  await statusItem(wb, 'Webhooks: off').click();
  await statusItem(wb, /Listening :\d+ · 0|Webhooks: error/).waitFor({ state: 'visible' });
  if (await statusItem(wb, 'Webhooks: error').isVisible()) {
    log('  port 8765 was taken after all: any free port instead');
    await wb.setWorkspaceSetting('s3Hooks.listener.port', 0);
    await page.waitForTimeout(1500);
    await statusItem(wb, 'Webhooks: error').click();
  }
  await statusItem(wb, /Listening :\d+ · 0/).waitFor({ state: 'visible' });
  for (const [n, kind] of ['VK Cloud confirmation', 'S3 bucket notification', 'Klavi analysis finished'].entries()) {
    await commandWithQuickPick(wb, 'S3 Hooks: Send Test Event');
    await wb.pick(kind);
    await statusItem(wb, new RegExp(`Listening :\\d+ · ${n + 1}`)).waitFor({ state: 'visible' });
  }

  log('Fetch File on the Klavi event → Recent Downloads');
  const events = await wb.view('Webhook Events');
  const klavi = events.locator('.monaco-list-row', { hasText: '/test/klavi' }).first();
  await klavi.hover();
  await klavi.locator('.action-label[aria-label^="Fetch File"]').click();
  const downloads = await wb.view('Recent Downloads');
  await downloads.locator('.monaco-list-row').first().waitFor({ state: 'visible' });
  await downloads.locator('.monaco-list-row', { hasText: /done|KB|bytes|B ·/i }).first().waitFor({ state: 'visible', timeout: 30_000 }).catch(() => undefined);

  log('Overview: both views, the status bar, a CodeLens on a presigned URL');
  await page.keyboard.press('Escape');
  await closeAllEditors(wb);
  await openFile(wb, 'live/klavi-analysis.live.klavi-event.json');
  const lens = page.locator('.part.editor .codelens-decoration', { hasText: 'Fetch' }).first();
  await lens.waitFor({ state: 'visible', timeout: 20_000 });
  await page.mouse.move(viewport.width - 5, viewport.height / 2);
  await shoot(page, 'overview');

  log('CodeLens and the hover that decodes a presigned URL');
  // The innermost span of the URL's first visual line (spans nest; the last match is the deepest).
  const url = page.locator('.part.editor .view-line span', { hasText: 'http://127.0.0.1' }).last();
  await url.hover();
  const urlHover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'Presigned S3 URL' }).first();
  await urlHover.waitFor({ state: 'visible', timeout: 10_000 });
  const editorBox = (await page.locator('.part.editor').boundingBox())!;
  const hoverBox = (await urlHover.boundingBox())!;
  await shoot(page, 'codelens', { x: editorBox.x, y: editorBox.y, width: editorBox.width, height: Math.min(viewport.height - editorBox.y, hoverBox.y + hoverBox.height + 16 - editorBox.y) });
  await page.mouse.move(viewport.width - 5, viewport.height / 2);

  log('Status bar item and its tooltip');
  const item = statusItem(wb, /Listening :\d+/);
  await item.hover();
  const tooltip = hover(wb);
  await tooltip.waitFor({ state: 'visible', timeout: 10_000 });
  await page.locator('.workbench-hover, .monaco-hover', { hasText: 'Local URL' }).first().waitFor({ state: 'visible' });
  await shoot(page, 'status-bar', await around([item, tooltip], 16));
  await page.mouse.move(viewport.width - 5, viewport.height / 2);

  log('JSON schema problems on a broken callback document');
  await closeAllEditors(wb);
  await openFile(wb, 'broken.callback.json');
  await page.locator('.part.editor .squiggly-warning').first().waitFor({ state: 'visible', timeout: 20_000 });
  await page.keyboard.press('Control+Shift+M');
  const problems = page.locator('.part.panel .markers-panel .monaco-list-row', { hasText: 'presigned S3 URL' }).first();
  await problems.waitFor({ state: 'visible' });
  const squiggle = page.locator('.part.editor .squiggly-warning').first();
  await squiggle.hover({ force: true });
  await hover(wb).waitFor({ state: 'visible', timeout: 10_000 }).catch(() => undefined);
  await shoot(page, 'schema-problems', await around([page.locator('.part.editor'), page.locator('.part.panel')], 0));
  await page.mouse.move(viewport.width - 5, viewport.height / 2);
  await wb.runCommand('View: Hide Panel');

  log('Getting Started walkthrough');
  await closeAllEditors(wb);
  await page.keyboard.press('Control+B');
  await wb.runCommand('S3 Hooks: Open Getting Started');
  const walkthrough = page.locator('.gettingStartedContainer');
  await walkthrough.locator('.getting-started-step', { hasText: 'Compute a confirmation signature' }).click();
  await walkthrough.locator('.getting-started-media iframe, .getting-started-media img').first().waitFor({ state: 'visible', timeout: 20_000 }).catch(() => undefined);
  await page.waitForTimeout(1500);
  await shoot(page, 'walkthrough');
  await page.keyboard.press('Control+B');
}

async function main(): Promise<void> {
  const vscode = await ensureRealVsCode({ cacheDir: process.env.S3_HOOKS_VSCODE_CACHE ?? join(root, '.vscode-test'), log });
  const temp = await mkdtemp(join(tmpdir(), 's3-hooks-screenshots-'));
  stops.push({ what: `remove ${temp}`, run: () => rm(temp, { recursive: true, force: true }) });

  const s3 = await startS3(join(temp, 's3'));
  log(`S3 server on ${s3.endpoint}, bucket ${bucket}`);
  const listenerPort = (await portIsFree(8765)) ? 8765 : 0;
  const workspace = join(temp, 'sample');
  await prepareWorkspace(workspace, s3, listenerPort);

  const extensionsDir = join(temp, 'extensions');
  log('Packaging S3 Hooks (npm run package) and installing the .vsix into code-server');
  const vsix = join(temp, 's3-hooks.vsix');
  await packageVsix(root, vsix);
  const { output } = await installVsix(vscode, vsix, extensionsDir);
  log(`  ${output.split('\n').pop() ?? ''}`);

  const userDataDir = join(temp, 'user-data');
  await mkdir(join(userDataDir, 'User'), { recursive: true });
  const callbackArgs = {
    vendor: 'voicebase',
    bucket,
    keyTemplate: 'voicebase/{date}/{id}/{name}.{ext}',
    analytics: { include: ['transcript', 'knowledge', 'metadata'] },
    transcript: ['srt', 'webvtt'],
    media: ['original'],
    expiresIn: '24h',
  };
  await writeFile(join(userDataDir, 'User', 'keybindings.json'), JSON.stringify([{ key: callbackKey, command: 's3Hooks.createCallbackJson', args: callbackArgs }], null, 2));

  const server: RunningCodeServer = await startCodeServer(vscode, {
    folder: workspace,
    userDataDir,
    extensionsDir,
    configFile: join(temp, 'code-server.yaml'),
    userSettings: { ...quietUserSettings, 'workbench.colorTheme': 'Default Dark Modern', 'editor.minimap.enabled': false, 'editor.wordWrap': 'on', 'remote.autoForwardPorts': false },
    env: {
      XDG_DATA_HOME: join(temp, 'xdg-data'),
      EXTENSIONS_GALLERY: '{}',
      AWS_ACCESS_KEY_ID: s3Keys.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3Keys.secretAccessKey,
      AWS_PROFILE: undefined,
      AWS_DEFAULT_PROFILE: undefined,
      AWS_SESSION_TOKEN: undefined,
    },
    onOutput: process.env.S3_HOOKS_VERBOSE === '1' ? (line) => say('code-server', line) : undefined,
  });
  stops.push({ what: 'stop code-server', run: () => server.stop() });
  log(`${vscode.version} on ${server.origin}, S3 Hooks installed from the .vsix`);

  const browser: Browser = await launchChromium(log);
  stops.push({ what: 'close Chromium', run: () => browser.close() });
  const page = await browser.newPage({ viewport });
  page.setDefaultTimeout(30_000);
  await page.goto(server.workbenchUrl({ folder: workspace }));
  const wb = new Workbench(page, workspace, join(root, 'test-results'));
  await wb.ready();
  try {
    await takeScreenshots(wb);
  } catch (error) {
    const path = await wb.screenshot('screenshots-failed');
    log(`Failed; the window looked like ${path}`);
    throw error;
  }
}

stopOnSignals(log, stopAll);

main().then(
  async () => {
    await stopAll();
    log(`Done: PNGs in ${outDir}`);
  },
  async (error: unknown) => {
    log(`Failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await stopAll();
    process.exit(1);
  },
);
