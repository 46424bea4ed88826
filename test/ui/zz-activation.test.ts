import * as assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { workbench } from './workbench';

// Named zz-… to run last: Running Extensions opens as a modal editor, which must not be in the way of
// the other suites.
// What activating at start costs, as VS Code itself measures it: Developer: Show Running Extensions
// shows, per extension, the extension host's code loading time plus the time activate() took.
// S3 Hooks activates onStartupFinished (so the listener's status bar item is there), so every
// window pays this once; the figure is printed in each integration run.
describe('Activation cost (UI)', () => {
  after(async () => {
    // Running Extensions opens as a modal editor; Escape closes it (View: Close Modal Editor).
    const editor = workbench().page.locator('.runtime-extensions-editor');
    if (await editor.isVisible()) {
      await workbench().page.keyboard.press('Escape');
      await editor.waitFor({ state: 'hidden' });
    }
  });

  it('Developer: Show Running Extensions reports S3 Hooks activated, with its time', async () => {
    const wb = workbench();
    // Start from the workbench itself, whatever an earlier suite left focused (a walkthrough, a Quick Input).
    await wb.page.keyboard.press('Escape');
    await wb.page.locator('.part.editor').first().click({ position: { x: 40, y: 200 } });
    await wb.runCommand('Developer: Show Running Extensions');
    const row = wb.page.locator('.runtime-extensions-editor .extension', { has: wb.page.locator('.name', { hasText: /^(S3 Hooks|s3-hooks\.s3-hooks)$/ }) });
    const time = row.locator('.activation-time');
    await time.filter({ hasText: /\d+ms/ }).waitFor({ state: 'visible' });
    const text = (await time.textContent()) ?? '';
    // "Startup Activation" is VS Code's word for eager (`*`) activation only; onStartupFinished shows as "Activation".
    const match = /Activation: (\d+)ms/.exec(text);
    assert.ok(match, `unexpected activation text: "${text}"`);
    const bundle = statSync(join(__dirname, '..', '..', '..', 'dist', 'extension.js')).size;
    console.log(`      S3 Hooks activation (code loading + activate(), Show Running Extensions): ${match[1]} ms; dist/extension.js ${(bundle / 1024).toFixed(0)} KB`);
    await wb.screenshot('running-extensions');
  });
});
