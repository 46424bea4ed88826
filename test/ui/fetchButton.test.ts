import * as assert from 'node:assert/strict';
import { workbench, type Workbench } from './workbench';

// The editor title's "Fetch File from Event JSON" button shows on event JSON that points at a file,
// and not on other JSON (settings, package manifests), where it would only lead to "no file here".

async function quickOpen(wb: Workbench, fileName: string): Promise<void> {
  await wb.page.keyboard.press('Control+P');
  const input = wb.page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(fileName);
  await wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: fileName.split('/').pop() }).first().waitFor();
  await wb.page.keyboard.press('Enter');
  await wb.page.locator('.tabs-container .tab.active', { hasText: fileName.split('/').pop() }).waitFor();
}

describe('Fetch button in the editor title (UI)', () => {
  after(async () => {
    await workbench().runCommand('View: Close All Editors');
  });

  it('shows on an event JSON with a file reference and not on a settings file', async () => {
    const wb = workbench();
    const button = wb.page.locator('.editor-actions .action-label[aria-label^="Fetch File from Event JSON"]');

    await quickOpen(wb, 'analysis-finished.klavi-event.json');
    await button.first().waitFor({ state: 'visible' });

    await quickOpen(wb, '.vscode/settings.json');
    await button.first().waitFor({ state: 'hidden' });
    assert.equal(await button.count(), 0);
    await wb.screenshot('fetch-button-hidden-on-settings');
  });
});
