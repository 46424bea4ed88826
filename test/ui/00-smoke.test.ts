import * as assert from 'node:assert/strict';
import { workbench } from './workbench';

// Named 00-… to run first: it checks the untouched window (empty views showing their welcome content),
// which later UI suites fill with downloads and events.
describe('S3 Hooks in the workbench (UI smoke test)', () => {
  it('opens from the activity bar and shows both views with their welcome content', async () => {
    const wb = workbench();
    const sidebar = await wb.openViewContainer('S3 Hooks');
    const downloads = await wb.view('Recent Downloads');
    await downloads.locator('.welcome-view-content', { hasText: 'No downloads yet' }).waitFor({ state: 'visible' });
    const events = await wb.view('Webhook Events');
    await events.locator('.welcome-view-content', { hasText: 'No webhook events yet' }).waitFor({ state: 'visible' });
    assert.ok(await sidebar.locator('.welcome-view-content a', { hasText: 'Show Log' }).first().isVisible());
    await wb.screenshot('ui-smoke-views');
  });

  it('runs "S3 Hooks: Show Log" from the Command Palette and shows the S3 Hooks output', async () => {
    const wb = workbench();
    const panel = wb.panel();
    // Start from a hidden panel (earlier UI suites may have left it open), so that showing it is this command's doing.
    if (await panel.isVisible()) {
      await wb.runCommand('View: Hide Panel');
      await panel.waitFor({ state: 'hidden' });
    }
    await wb.runCommand('S3 Hooks: Show Log');
    await panel.waitFor({ state: 'visible' });
    const channel = await panel.locator('select.monaco-select-box').first().inputValue();
    assert.match(channel, /S3 Hooks/, `the Output view shows channel "${channel}"`);
    // Log lines look like "2026-11-25 13:23:33.536 [info] S3 Hooks 0.1.0 activated in 0.2 ms"
    // (editors render spaces as U+00A0, which \s matches).
    await panel.locator('.view-lines', { hasText: /\[info\]\s/ }).waitFor({ state: 'visible' });
    const path = await wb.screenshot('ui-smoke');
    console.log(`      screenshot: ${path}`);
  });
});
