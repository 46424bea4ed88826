import * as assert from 'node:assert/strict';
import { workbench } from './workbench';

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
    await wb.runCommand('S3 Hooks: Show Log');
    const panel = wb.panel();
    await panel.waitFor({ state: 'visible' });
    // The Output view shows the "S3 Hooks" channel, with the line activate() logged (editors render spaces as U+00A0; \s matches it).
    const channel = await panel.locator('select.monaco-select-box').first().inputValue();
    assert.match(channel, /S3 Hooks/, `the Output view shows channel "${channel}"`);
    await panel.locator('.view-lines', { hasText: /S3\sHooks\s\S+\sactivated\sin/ }).waitFor({ state: 'visible' });
    const path = await wb.screenshot('ui-smoke');
    console.log(`      screenshot: ${path}`);
  });
});
