import * as assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { workbench, type Workbench } from './workbench';

// The Getting Started walkthrough as a new user meets it: opened from the Command Palette, a step's
// button runs the command it teaches, and VS Code ticks the step off (its completionEvents).

/** `<publisher>.<name>#<walkthrough id>`, the prefix of every step id in the walkthrough's DOM. */
const walkthrough = 's3-hooks.s3-hooks#s3Hooks.gettingStarted';

const editor = (wb: Workbench) => wb.page.locator('.gettingStartedContainer');
/** A step of the walkthrough (the button that expands it), by its id in package.json. */
const step = (wb: Workbench, id: string): Locator => editor(wb).locator(`.getting-started-step[data-step-id="${walkthrough}#${id}"]`);
/** The step's checkbox: it gets the class `complete` (a filled check) when the step is done. */
const checkbox = (wb: Workbench, id: string): Locator => editor(wb).locator(`.codicon[data-done-step-id="${walkthrough}#${id}"]`);

const isDone = async (box: Locator) => ((await box.getAttribute('class')) ?? '').split(/\s+/).includes('complete');

describe('Getting Started walkthrough (UI)', () => {
  before(async () => {
    // Any free port for the listener the step starts, so that the test never collides with another.
    await workbench().setWorkspaceSetting('s3Hooks.listener.port', 0);
    await new Promise((r) => setTimeout(r, 1000));
  });

  after(async () => {
    const wb = workbench();
    await wb.page.keyboard.press('Escape');
    if (await wb.page.locator('.part.statusbar .statusbar-item', { hasText: /Listening :\d+/ }).isVisible()) {
      await wb.runCommand('S3 Hooks: Stop Webhook Listener');
    }
    await wb.runCommand('View: Close All Editors');
  });

  it('opens with "S3 Hooks: Open Getting Started" and lists the five steps, none done', async () => {
    const wb = workbench();
    await wb.runCommand('S3 Hooks: Open Getting Started');
    await editor(wb).locator('.getting-started-category h2', { hasText: 'Get Started with S3 Hooks' }).first().waitFor({ state: 'visible' });
    const ids = ['s3Access', 'presignCallback', 'fetchFile', 'listener', 'confirmationSignature'];
    for (const id of ids) {
      await step(wb, id).waitFor({ state: 'visible' });
      assert.equal(await isDone(checkbox(wb, id)), false, `${id} is already done`);
    }
    await wb.screenshot('walkthrough-opened');
  });

  it('the "Send Test Event" button of the listener step sends an event and ticks the step', async () => {
    const wb = workbench();
    await step(wb, 'listener').click();
    const button = editor(wb).locator('.step-description-container .monaco-button, .step-description-container button', { hasText: 'Send Test Event' }).first();
    await button.waitFor({ state: 'visible' });
    // Let the step finish expanding, as a person would: a Quick Pick opened while the walkthrough still
    // moves focus to the selected step closes again at once.
    await new Promise((r) => setTimeout(r, 1000));
    await button.click();
    await wb.pick('VK Cloud confirmation');
    // The listener starts, answers the confirmation, and the step is ticked off.
    await wb.page.locator('.part.statusbar .statusbar-item', { hasText: /Listening :\d+ · [1-9]/ }).first().waitFor({ state: 'visible' });
    await editor(wb).locator(`.codicon.complete[data-done-step-id="${walkthrough}#listener"]`).waitFor({ state: 'visible' });
    assert.equal(await checkbox(wb, 'listener').getAttribute('aria-checked'), 'true');
    assert.equal(await isDone(checkbox(wb, 'fetchFile')), false, 'another step was ticked too');
    await wb.screenshot('walkthrough-step-done');
  });
});
