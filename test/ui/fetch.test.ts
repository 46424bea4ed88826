import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createS3Client } from '../../src/core/s3/connection';
import { startLocalS3, type LocalS3 } from '../support/localS3';
import { notification, workbench, type Workbench } from './workbench';

// Right-clicks event JSON files in the Explorer and picks "Fetch File from Event JSON", as a person
// would, against a local S3 server started here: a live link is saved and shows as done in Recent
// Downloads; an expired one is refused with its message.

/** Right-clicks a file in the Explorer and picks an item of its context menu. */
async function explorerContextMenu(wb: Workbench, fileName: string, item: string): Promise<void> {
  await wb.openViewContainer('Explorer');
  const row = wb.page.locator('.explorer-folders-view .monaco-list-row', { hasText: fileName }).first();
  try {
    await row.waitFor({ state: 'visible', timeout: 5000 });
  } catch {
    // A file created outside VS Code appears once the watcher reports it; Refresh makes sure.
    await wb.page.locator('.part.sidebar .action-label[aria-label^="Refresh Explorer"]').first().click();
    await row.waitFor({ state: 'visible' });
  }
  await row.click({ button: 'right' });
  const entry = wb.page.locator('.context-view .monaco-menu .action-menu-item', { hasText: item }).first();
  await entry.waitFor({ state: 'visible' });
  await entry.hover();
  await entry.click();
  const menu = wb.page.locator('.context-view .monaco-menu');
  try {
    await menu.waitFor({ state: 'hidden', timeout: 2000 });
  } catch {
    // The item is focused (hovered) but the click did not land on the menu's own handler: Enter picks it.
    await wb.page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden' });
  }
}

describe('Fetch File from Event JSON in the workbench (UI)', () => {
  let s3: LocalS3;
  const body = randomBytes(50_000);
  const files: string[] = [];

  async function presign(opts: { expiresIn?: number; signingDate?: Date } = {}): Promise<string> {
    const client = createS3Client(s3.connection);
    try {
      return await getSignedUrl(client, new GetObjectCommand({ Bucket: 'bkt', Key: 'results/ui-analysis.json' }), {
        expiresIn: opts.expiresIn ?? 3600,
        signingDate: opts.signingDate,
      });
    } finally {
      client.destroy();
    }
  }

  before(async () => {
    s3 = await startLocalS3(['bkt']);
    const client = createS3Client(s3.connection);
    await client.send(new PutObjectCommand({ Bucket: 'bkt', Key: 'results/ui-analysis.json', Body: body }));
    client.destroy();
  });

  after(async () => {
    const wb = workbench();
    await wb.hideNotificationsCenter();
    await wb.page.keyboard.press('Escape');
    for (const f of files) {
      await rm(f, { force: true });
    }
    await rm(join(wb.workspaceFolder, 's3-downloads'), { recursive: true, force: true });
    await s3?.close();
  });

  it('right-click a live event JSON → Fetch File from Event JSON saves the file and Recent Downloads shows it done', async () => {
    const wb = workbench();
    const event = join(wb.workspaceFolder, 'ui-live.klavi-event.json');
    files.push(event);
    await writeFile(event, JSON.stringify({ eventId: 'ui-1', eventName: 'analysis finished', eventTime: new Date().toISOString(), payload: { presignedUrl: await presign() } }, null, 2));

    await explorerContextMenu(wb, 'ui-live.klavi-event.json', 'Fetch File from Event JSON');
    await notification(wb, /Saved ui-analysis\.json \(49 KB\) to s3-downloads/);
    const saved = join(wb.workspaceFolder, 's3-downloads', 'ui-analysis.json');
    assert.ok(existsSync(saved));
    assert.deepEqual(await readFile(saved), body);
    await wb.hideNotificationsCenter();

    await wb.openViewContainer('S3 Hooks');
    const view = await wb.view('Recent Downloads');
    const item = view.locator('.monaco-list-row', { hasText: 'ui-analysis.json' }).first();
    await item.waitFor({ state: 'visible' });
    assert.match(await item.innerText(), /49 KB · just now/);
    await wb.screenshot('fetch-recent-downloads-done');
  });

  it('right-click an expired event JSON → the expired message, and the item shows as expired', async () => {
    const wb = workbench();
    const event = join(wb.workspaceFolder, 'ui-expired.klavi-event.json');
    files.push(event);
    const dayAgo = new Date(Date.now() - 30 * 3600_000);
    await writeFile(event, JSON.stringify({ eventId: 'ui-2', eventTime: dayAgo.toISOString(), payload: { presignedUrl: await presign({ signingDate: dayAgo }) } }, null, 2));

    await explorerContextMenu(wb, 'ui-expired.klavi-event.json', 'Fetch File from Event JSON');
    await notification(wb, /ui-analysis\.json: The link expired 29 h ago/);
    await wb.hideNotificationsCenter();
    await wb.openViewContainer('S3 Hooks');
    const view = await wb.view('Recent Downloads');
    await view.locator('.monaco-list-row', { hasText: 'link expired' }).first().waitFor({ state: 'visible' });
    await wb.screenshot('fetch-recent-downloads-expired');
  });
});
