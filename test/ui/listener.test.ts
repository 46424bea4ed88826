import * as assert from 'node:assert/strict';
import { workbench, type Workbench } from './workbench';

// The webhook listener as a person meets it: the status bar item starts it, its menu sends a
// test event, the event shows up in the Webhook Events view, and the menu stops it again.

const statusItem = (wb: Workbench, text: string | RegExp) => wb.page.locator('.part.statusbar .statusbar-item', { hasText: text }).first();
const quickInput = (wb: Workbench) => wb.page.locator('.quick-input-widget');

/** Picks the Quick Pick row whose label contains `label`. */
async function pick(wb: Workbench, label: string): Promise<void> {
  const row = quickInput(wb).locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ state: 'visible' });
  await row.click();
}

describe('Webhook listener from the status bar (UI)', () => {
  // The fixture workspace sets s3Hooks.listener.port to 0 (any free port), so the default 8765 being taken does not matter.
  it('clicking the status bar item starts the listener', async () => {
    const wb = workbench();
    // S3 Hooks activates with its views and commands (no startup activation): opening its view container shows the item.
    await wb.openViewContainer('S3 Hooks');
    const off = statusItem(wb, 'Webhooks: off');
    await off.waitFor({ state: 'visible' });
    await off.click();
    const listening = statusItem(wb, /Listening :\d+ · 0/);
    await listening.waitFor({ state: 'visible' });
    const label = (await listening.getAttribute('aria-label')) ?? '';
    assert.match(label, /Webhook listener listening on port \d+, 0 events/);
    await wb.screenshot('listener-started');
  });

  it('its menu sends a test event, which appears in Webhook Events', async () => {
    const wb = workbench();
    await statusItem(wb, /Listening :\d+/).click();
    await pick(wb, 'Send Test Event');
    await pick(wb, 'VK Cloud confirmation');
    await statusItem(wb, /Listening :\d+ · 1/).waitFor({ state: 'visible' });
    await wb.openViewContainer('S3 Hooks');
    const events = await wb.view('Webhook Events');
    const row = events.locator('.monaco-list-row', { hasText: 'SubscriptionConfirmation' }).first();
    await row.waitFor({ state: 'visible' });
    assert.match(await row.innerText(), /\/test\/vk-confirmation · 200/);
    await wb.screenshot('listener-event');
  });

  it('its menu stops the listener', async () => {
    const wb = workbench();
    await statusItem(wb, /Listening :\d+/).click();
    await pick(wb, 'Stop');
    await statusItem(wb, 'Webhooks: off').waitFor({ state: 'visible' });
  });
});
