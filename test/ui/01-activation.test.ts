import * as assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { workbench } from './workbench';

// What activating at start costs, as VS Code itself measures it: Developer: Show Running Extensions
// shows, per extension, the extension host's code loading time plus the time activate() took.
// S3 Hooks activates onStartupFinished (so the listener's status bar item is there), so every
// window pays this once; the figure is printed in each integration run.
describe('Activation cost (UI)', () => {
  after(async () => {
    await workbench().runCommand('View: Close All Editors');
  });

  it('Developer: Show Running Extensions reports S3 Hooks activated at start-up, with its time', async () => {
    const wb = workbench();
    await wb.runCommand('Developer: Show Running Extensions');
    const row = wb.page.locator('.runtime-extensions-editor .extension', { has: wb.page.locator('.name', { hasText: /^(S3 Hooks|s3-hooks\.s3-hooks)$/ }) });
    const time = row.locator('.activation-time');
    await time.filter({ hasText: /\d+ms/ }).waitFor({ state: 'visible' });
    const text = (await time.textContent()) ?? '';
    const match = /(Startup )?Activation: (\d+)ms/.exec(text);
    assert.ok(match, `unexpected activation text: "${text}"`);
    assert.ok(match[1], `S3 Hooks did not activate at start-up (onStartupFinished): "${text}"`);
    const bundle = statSync(join(__dirname, '..', '..', '..', 'dist', 'extension.js')).size;
    console.log(`      S3 Hooks activation (code loading + activate(), Show Running Extensions): ${match[2]} ms; dist/extension.js ${(bundle / 1024).toFixed(0)} KB`);
    await wb.screenshot('running-extensions');
  });
});
