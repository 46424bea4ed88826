import * as assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { postJson } from '../support/httpClient';
import { vkConfirmation } from '../support/vkConfirmation';
import { notification, workbench, type Workbench } from './workbench';

// Testing a webhook handler as a person does it: the app under test is a real HTTP server started
// here; forwardTo is set in the workspace settings, the listener is started from the status bar, a
// "provider" POSTs events, the Webhook Events view shows the app's answers, a wrong confirmation
// answer is flagged, a tunnel stand-in (prints what cloudflared prints; no internet here) gives the
// public URL shown in the tooltip, and the filter narrows the view. It also takes the README's picture.

const statusItem = (wb: Workbench, text: string | RegExp) => wb.page.locator('.part.statusbar .statusbar-item', { hasText: text }).first();
const standIns = join(__dirname, '..', '..', '..', 'test', 'support', 'tunnels');

async function closeNotifications(wb: Workbench): Promise<void> {
  const center = wb.page.locator('.notifications-center');
  if (await center.isVisible()) {
    await center.locator('.codicon-notifications-clear-all').first().click();
    await wb.hideNotificationsCenter();
  }
}

/** Merges settings into a settings.json of the code-server user data (machine-scoped settings live there, not in the workspace). */
async function mergeSettings(file: string, values: Record<string, unknown>): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  let settings: Record<string, unknown> = {};
  try {
    settings = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch {
    // Not there yet.
  }
  await writeFile(file, JSON.stringify({ ...settings, ...values }, null, 2));
}

/** The port in "Listening :<port>", once it differs from `previous` (a restart on port 0 picks a new one). */
async function listeningPort(wb: Workbench, previous?: string): Promise<string> {
  const item = statusItem(wb, /Listening :\d+/);
  for (;;) {
    await item.waitFor({ state: 'visible' });
    const port = /Listening :(\d+)/.exec(await item.innerText())?.[1];
    if (port && port !== previous) {
      return port;
    }
    await wb.page.waitForTimeout(100);
  }
}

/** Changes a listener setting while it runs and restarts it from the notification, as the extension offers. */
async function changeAndRestart(wb: Workbench, key: string, value: unknown): Promise<void> {
  await wb.setWorkspaceSetting(key, value);
  const note = await notification(wb, 'Webhook listener settings changed');
  await note.locator('.monaco-button', { hasText: 'Restart Listener' }).click();
  await closeNotifications(wb);
}

describe('Testing a webhook handler (UI)', () => {
  let app: http.Server;
  let appUrl: string;
  let port: string;

  before(async () => {
    app = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const isConfirmation = body.includes('SubscriptionConfirmation');
        res.writeHead(isConfirmation ? 200 : 201, { 'Content-Type': 'application/json' });
        // The handler under test gets the confirmation wrong: the listener must flag it.
        res.end(isConfirmation ? '{"signature":"0000"}' : '{"handled":true}');
      });
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/webhooks`;
  });

  after(async () => {
    const wb = workbench();
    for (const [key, value] of [['s3Hooks.listener.forwardTo', ''], ['s3Hooks.listener.answerMode', 'store']] as const) {
      await wb.setWorkspaceSetting(key, value);
    }
    if (await statusItem(wb, /Listening :\d+/).isVisible()) {
      await wb.runCommand('S3 Hooks: Stop Webhook Listener');
    }
    await new Promise<void>((resolve) => app.close(() => resolve()));
  });

  it('the listener started from the status bar forwards events, and the view shows the app\'s answer', async () => {
    const wb = workbench();
    const userData = join(dirname(wb.workspaceFolder), 'user-data');
    const tunnel = { 's3Hooks.tunnel.program': 'cloudflared', 's3Hooks.tunnel.programPath': join(standIns, 'cloudflared.js') };
    await mergeSettings(join(userData, 'Machine', 'settings.json'), tunnel);
    await mergeSettings(join(userData, 'User', 'settings.json'), tunnel);
    await wb.openViewContainer('S3 Hooks');
    await statusItem(wb, 'Webhooks: off').click();
    const first = await listeningPort(wb);
    await changeAndRestart(wb, 's3Hooks.listener.forwardTo', appUrl);
    port = await listeningPort(wb, first);
    const { status } = await postJson(`http://127.0.0.1:${port}/hooks/s3`, { Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'media' }, object: { key: 'call-0142.wav', sequencer: 'ui1' } } }] });
    assert.equal(status, 200);
    const events = await wb.view('Webhook Events');
    const row = events.locator('.monaco-list-row', { hasText: '/hooks/s3' }).first();
    await row.locator('.label-description', { hasText: /→ 201 · [\d.]+ ms/ }).waitFor({ state: 'visible' });
  });

  it('in proxy mode, a confirmation the app answers wrongly is flagged', async () => {
    const wb = workbench();
    await changeAndRestart(wb, 's3Hooks.listener.answerMode', 'proxy');
    port = await listeningPort(wb, port);
    assert.equal((await postJson(`http://127.0.0.1:${port}/hooks/vk`, vkConfirmation)).status, 200);
    const events = await wb.view('Webhook Events');
    const row = events.locator('.monaco-list-row', { hasText: '/hooks/vk' }).first();
    await row.locator('.label-description', { hasText: /→ 200 · [\d.]+ ms · wrong signature/ }).waitFor({ state: 'visible' });
    // Room for the descriptions, for the README's picture (media/screenshots/forwarded-answers.png is this one).
    if (await wb.panel().isVisible()) {
      await wb.runCommand('View: Hide Panel');
    }
    // Wide enough that tree descriptions are not cut; narrowed back below, as later suites click in the editor.
    const widthBefore = await wb.sideBarWidth();
    await wb.setSideBarWidth(820);
    await row.hover();
    const hover = wb.page.locator('.monaco-hover, .workbench-hover', { hasText: 'the right signature is' }).first();
    await hover.waitFor({ state: 'visible' });
    assert.match(await hover.innerText(), /answered the confirmation with 0000; the right signature is [0-9a-f]{64}/);
    const side = (await wb.page.locator('.part.sidebar').boundingBox())!;
    const tip = (await hover.boundingBox())!;
    const right = Math.min(1400, Math.max(side.x + side.width, tip.x + tip.width) + 12);
    await mkdir(wb.resultsDir, { recursive: true });
    await wb.page.screenshot({ path: join(wb.resultsDir, 'forwarded-answers.png'), clip: { x: 0, y: 0, width: right, height: 900 } });
    await wb.page.keyboard.press('Escape');
    await wb.setSideBarWidth(widthBefore);
  });

  it('Start Public Tunnel puts the stand-in\'s URL in the status bar tooltip', async () => {
    const wb = workbench();
    await wb.runCommand('S3 Hooks: Start Public Tunnel');
    await notification(wb, /Public URL: https:\/\/gentle-river-quiet-harbor\.trycloudflare\.com/);
    await closeNotifications(wb);
    await statusItem(wb, /Listening :\d+/).hover();
    const tooltip = wb.page.locator('.monaco-hover, .workbench-hover', { hasText: 'Providers reach it at' }).first();
    await tooltip.waitFor({ state: 'visible' });
    assert.match(await tooltip.innerText(), /Providers reach it at https:\/\/gentle-river-quiet-harbor\.trycloudflare\.com \(public tunnel: cloudflared\)/);
    await wb.page.keyboard.press('Escape');
  });

  it('the filter narrows the view and the description says so', async () => {
    const wb = workbench();
    // The command asks in an input box, so the palette is driven by hand (runCommand waits for it to close).
    await wb.page.keyboard.press('F1');
    const input = wb.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill('>S3 Hooks: Filter Webhook Events…');
    await wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'S3 Hooks: Filter Webhook Events…' }).first().waitFor({ state: 'visible' });
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.quick-input-widget', { hasText: 'Show only events with' }).waitFor({ state: 'visible' });
    await input.fill('kind:s3Records path:/hooks/*');
    await wb.page.keyboard.press('Enter');
    const events = await wb.view('Webhook Events');
    await events.locator('.pane-header', { hasText: /filter: kind:s3Records path:\/hooks\/\* · 1 of \d+/ }).waitFor({ state: 'visible' });
    await events.locator('.monaco-list-row', { hasText: '/hooks/vk' }).waitFor({ state: 'hidden' });
    assert.equal(await events.locator('.monaco-list-row', { hasText: '/hooks/s3' }).count(), 1);
    await wb.runCommand('S3 Hooks: Clear Webhook Events Filter');
    await events.locator('.monaco-list-row', { hasText: '/hooks/vk' }).first().waitFor({ state: 'visible' });
  });
});
