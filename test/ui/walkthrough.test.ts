import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { Locator } from 'playwright-core';
import { workbench, type Workbench } from './workbench';

// The Getting Started walkthrough as a new user meets it: opened from the Command Palette, a step's
// button runs the command it teaches (here the whole signature flow), and VS Code ticks the step off
// (its completionEvents).

/** `<publisher>.<name>#<walkthrough id>`, the prefix of every step id in the walkthrough's DOM. */
const walkthrough = 's3-hooks.s3-hooks#s3Hooks.gettingStarted';

const editor = (wb: Workbench) => wb.page.locator('.gettingStartedContainer');
/** A step of the walkthrough (the button that expands it), by its id in package.json. */
const step = (wb: Workbench, id: string): Locator => editor(wb).locator(`.getting-started-step[data-step-id="${walkthrough}#${id}"]`);
/** The step's checkbox: it gets the class `complete` (a filled check) when the step is done. */
const checkbox = (wb: Workbench, id: string): Locator => editor(wb).locator(`.codicon[data-done-step-id="${walkthrough}#${id}"]`);

const isDone = async (box: Locator) => ((await box.getAttribute('class')) ?? '').split(/\s+/).includes('complete');

/** The notification center's item matching `text` (the smoke-test driver hides toasts). */
async function notification(wb: Workbench, text: string): Promise<Locator> {
  const center = wb.page.locator('.notifications-center');
  if (!(await center.isVisible())) {
    await wb.page.locator('[id="status.notifications"]').click();
    await center.waitFor({ state: 'visible' });
  }
  const item = center.locator('.notification-list-item', { hasText: text }).first();
  await item.waitFor({ state: 'visible' });
  return item;
}

/** Types `value` into the open InputBox (replacing what it holds) and presses Enter. */
async function answer(wb: Workbench, title: string, value: string): Promise<void> {
  await wb.page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ state: 'visible' });
  await wb.page.locator('.quick-input-widget .quick-input-box input').fill(value);
  await wb.page.keyboard.press('Enter');
}

describe('Getting Started walkthrough (UI)', () => {
  after(async () => {
    const wb = workbench();
    await wb.page.keyboard.press('Escape');
    if (await wb.page.locator('.notifications-center').isVisible()) {
      await wb.page.locator('[id="status.notifications"]').click();
    }
    await wb.runCommand('View: Close All Editors');
  });

  it('opens with "S3 Hooks: Open Getting Started" and lists the five steps', async () => {
    const wb = workbench();
    await wb.runCommand('S3 Hooks: Open Getting Started');
    await editor(wb).locator('.getting-started-category h2', { hasText: 'Get Started with S3 Hooks' }).first().waitFor({ state: 'visible' });
    // Earlier suites in this window ran S3 Hooks commands; start from a clean slate (VS Code's own command).
    await new Promise((r) => setTimeout(r, 1000));
    await wb.runCommand('Developer: Reset Welcome Page Walkthrough Progress');
    for (const id of ['s3Access', 'presignCallback', 'fetchFile', 'listener', 'confirmationSignature']) {
      await step(wb, id).waitFor({ state: 'visible' });
    }
    await editor(wb).locator(`.codicon:not(.complete)[data-done-step-id="${walkthrough}#confirmationSignature"]`).waitFor({ state: 'visible' });
    await wb.screenshot('walkthrough-opened');
  });

  it('the button of the signature step runs Compute Confirmation Signature, and the step is ticked off', async function () {
    // One retry: after the other UI suites have run in the same window, the walkthrough's focus handling
    // occasionally swallows the flow (seen once in three full runs, never when this suite runs alone).
    // The retry repeats the whole flow with the same assertions.
    this.retries(1);
    const wb = workbench();
    await step(wb, 'confirmationSignature').click();
    const button = step(wb, 'confirmationSignature').locator('.monaco-button', { hasText: 'Compute Confirmation Signature' });
    await button.waitFor({ state: 'visible' });
    // Let the step finish expanding, as a person would: while the walkthrough still moves focus to the
    // selected step, an InputBox opened by the button can lose it.
    await new Promise((r) => setTimeout(r, 1000));
    await button.click();

    const confirmation = { topicArn: 'mcs00000000|test|s3:ObjectCreated:Put', timestamp: '2021-04-22T16:48:37+03:00', token: 'walkthrough-token' };
    const url = 'https://hooks.example.com/vk';
    await answer(wb, 'TopicArn', confirmation.topicArn);
    await answer(wb, 'Timestamp', confirmation.timestamp);
    await answer(wb, 'Token', confirmation.token);
    await answer(wb, 'Registered URL', url);
    // FORMATS.md §3, computed here independently of the extension.
    const hmac = (key: Buffer | string, message: string) => createHmac('sha256', key).update(message).digest();
    const expected = hmac(hmac(hmac(confirmation.token, confirmation.timestamp), confirmation.topicArn), url).toString('hex');
    await notification(wb, expected);

    await editor(wb).locator(`.codicon.complete[data-done-step-id="${walkthrough}#confirmationSignature"]`).waitFor({ state: 'visible' });
    assert.equal(await checkbox(wb, 'confirmationSignature').getAttribute('aria-checked'), 'true');
    assert.equal(await isDone(checkbox(wb, 's3Access')), false, 'another step was ticked too');
    await wb.screenshot('walkthrough-step-done');
  });
});
