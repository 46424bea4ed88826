import * as assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { createS3Client } from '../../src/core/s3/connection';
import { localS3Keys, startLocalS3, type LocalS3 } from '../support/localS3';
import { notification, workbench, type Workbench } from './workbench';

// Drives the presign flows as a person would: Command Palette, QuickPicks, InputBoxes, the
// notification's buttons and the confirmation dialog, against a local S3 server started here.

const quickInput = (wb: Workbench) => wb.page.locator('.quick-input-widget');

/** Runs a palette command whose flow opens a quick input of its own (so the widget does not close). */
async function startFlow(wb: Workbench, command: string): Promise<void> {
  await wb.page.keyboard.press('F1');
  const input = wb.page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${command}`);
  const first = wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first();
  await wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: command }).first().waitFor({ state: 'visible' });
  const label = (await first.getAttribute('aria-label')) ?? (await first.innerText());
  assert.ok(label.includes(command), `the first match for "${command}" is "${label}"`);
  await wb.page.keyboard.press('Enter');
}

/** Waits until the flow shows step `n` (the title reads "… n/total"). */
async function atStep(wb: Workbench, title: string, n: number): Promise<void> {
  await quickInput(wb)
    .locator('.quick-input-title', { hasText: new RegExp(`${title}.*\\b${n}/\\d`) })
    .waitFor({ state: 'visible' });
}

async function replaceInput(wb: Workbench, text: string): Promise<void> {
  const input = wb.page.locator('.quick-input-widget .quick-input-box input');
  await input.fill(text);
}

describe('Presigned PUT callbacks in the workbench (UI)', () => {
  let s3: LocalS3;
  let settingsFile: string;
  let savedSettings: string | undefined;

  before(async () => {
    const wb = workbench();
    // Earlier suites may leave the editor area split (an event document opened beside another); these
    // tests click lines of the documents they open, which a narrow group can hide.
    await wb.runCommand('View: Single Column Editor Layout');
    // (A side bar left wide squeezes the editor the same way: the runner's settle() narrows it before every test.)
    s3 = await startLocalS3(['bkt']);
    // Workspace settings, as a user would write them for a local MinIO-like server.
    settingsFile = join(wb.workspaceFolder, '.vscode', 'settings.json');
    savedSettings = await readFile(settingsFile, 'utf8').catch(() => undefined);
    const existing = savedSettings ? (JSON.parse(savedSettings) as Record<string, unknown>) : {};
    await mkdir(join(wb.workspaceFolder, '.vscode'), { recursive: true });
    await writeFile(
      settingsFile,
      JSON.stringify({ ...existing, 's3Hooks.s3.endpoint': s3.endpoint, 's3Hooks.s3.forcePathStyle': true, 's3Hooks.s3.region': 'us-east-1' }, null, 2),
    );
  });

  after(async () => {
    const wb = workbench();
    await wb.page.keyboard.press('Escape');
    if (savedSettings === undefined) {
      await rm(settingsFile, { force: true });
    } else {
      await writeFile(settingsFile, savedSettings);
    }
    await s3?.close();
  });

  it('Set S3 Access Keys… stores keys typed into its three steps', async () => {
    const wb = workbench();
    const title = 'S3 Hooks: Set S3 Access Keys';
    await startFlow(wb, 'S3 Hooks: Set S3 Access Keys…');
    await atStep(wb, title, 1);
    await wb.page.keyboard.type(localS3Keys.accessKeyId);
    await wb.page.keyboard.press('Enter');
    await atStep(wb, title, 2);
    assert.equal(await wb.page.locator('.quick-input-widget .quick-input-box input').getAttribute('type'), 'password', 'the secret is hidden');
    await wb.page.keyboard.type(localS3Keys.secretAccessKey);
    await wb.page.keyboard.press('Enter');
    await atStep(wb, title, 3);
    await wb.page.keyboard.press('Enter');
    await notification(wb, /S3 access keys saved in VS Code's secret storage \(key id …\)/);
    await wb.hideNotificationsCenter();
  });

  let firstKeys: string[] = [];

  it('Create Callback JSON… walks vendor → bucket → callbacks → sections → key template → expiry → role, and opens the JSON', async () => {
    const wb = workbench();
    const title = 'S3 Hooks: Create Callback JSON';
    await startFlow(wb, 'S3 Hooks: Create Callback JSON…');
    await atStep(wb, title, 1);
    assert.match(await quickInput(wb).locator('.monaco-list-row').first().innerText(), /VoiceBase v3/, 'VoiceBase v3 is offered first');
    await wb.page.keyboard.press('Enter');

    await atStep(wb, title, 2);
    await replaceInput(wb, 'Not_A_Bucket');
    await quickInput(wb).locator('.quick-input-message', { hasText: 'Bucket names are lowercase' }).waitFor({ state: 'visible' });
    await wb.page.keyboard.press('Enter'); // refused: the step stays
    await atStep(wb, title, 2);
    await replaceInput(wb, 'bkt');
    await wb.page.keyboard.press('Enter');

    await atStep(wb, title, 3);
    // Add the SRT transcript to the pre-selected analytics + JSON transcript.
    await quickInput(wb).locator('.monaco-list-row', { hasText: 'Transcript: SubRip (SRT)' }).click();
    await quickInput(wb).locator('.quick-input-count', { hasText: '3 Selected' }).waitFor({ state: 'visible' });
    await quickInput(wb).locator('.quick-input-action .monaco-button', { hasText: 'OK' }).click();

    await atStep(wb, title, 4); // analytics sections
    await wb.page.keyboard.press('Enter');

    await atStep(wb, title, 5); // key template, with a preview of the keys
    await quickInput(wb).locator('.quick-input-message', { hasText: /Keys: s3-hooks\/\d{4}-\d\d-\d\d\/[0-9a-f-]{36}\/analytics\.json/ }).waitFor({ state: 'visible' });
    await wb.page.keyboard.press('Enter');

    await atStep(wb, title, 6); // expiry
    await replaceInput(wb, '7 days');
    await wb.page.keyboard.press('Enter');

    await atStep(wb, title, 7); // role
    await wb.page.keyboard.press('Enter');

    await wb.page.locator('.editor-instance .monaco-editor .view-lines', { hasText: '"publish"' }).first().waitFor({ state: 'visible' });
    const editorText = (await wb.page.locator('.editor-instance .monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
    assert.match(editorText, /"publish"/);
    firstKeys = [...editorText.matchAll(/\/bkt\/(s3-hooks\/[^?]+)\?/g)].map((m) => decodeURIComponent(m[1]));
    assert.equal(firstKeys.length, 3, editorText);
    assert.match(editorText, /X-Amz-Expires=604800/, '7 days');
    await wb.screenshot('ui-presign-callback-json');

    // Test Upload → confirm → every URL accepts its sample.
    const done = await notification(wb, /VoiceBase callback JSON: 3 presigned PUT URLs, valid until/);
    await done.locator('.monaco-button', { hasText: 'Test Upload' }).click();
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible' });
    assert.match(await dialog.innerText(), /replacing whatever is stored at their keys/);
    await dialog.locator('.monaco-button', { hasText: 'Upload Sample' }).click();
    await notification(wb, 'S3 accepted all 3 test uploads');
    await wb.hideNotificationsCenter();
    const client = createS3Client(s3.connection);
    try {
      const analytics = await client.send(new GetObjectCommand({ Bucket: 'bkt', Key: firstKeys[0] }));
      assert.equal(analytics.ContentType, 'application/json');
      assert.match(await analytics.Body!.transformToString(), /"s3Hooks":"test upload"/);
      const srt = await client.send(new GetObjectCommand({ Bucket: 'bkt', Key: firstKeys[2] }));
      assert.equal(srt.ContentType, 'text/srt');
    } finally {
      client.destroy();
    }
  });

  it('remembers the answers: the second run is seven Enter presses', async () => {
    const wb = workbench();
    const title = 'S3 Hooks: Create Callback JSON';
    await startFlow(wb, 'S3 Hooks: Create Callback JSON…');
    for (let step = 1; step <= 7; step++) {
      await atStep(wb, title, step);
      await wb.page.keyboard.press('Enter');
    }
    // The new untitled editor: it has the SRT callback too, under another run id.
    const runId = firstKeys[0].split('/')[2];
    const editor = wb.page.locator('.editor-instance .monaco-editor .view-lines', { hasText: 'transcript.srt', hasNotText: runId }).first();
    await editor.waitFor({ state: 'visible' });
    const editorText = (await editor.innerText()).replace(/\u00a0/g, ' ');
    const keys = [...editorText.matchAll(/\/bkt\/(s3-hooks\/[^?]+)\?/g)].map((m) => decodeURIComponent(m[1]));
    assert.deepEqual(
      keys.map((k) => k.split('/').pop()),
      ['analytics.json', 'transcript.json', 'transcript.srt'],
    );
    assert.notEqual(keys[0], firstKeys[0], 'a new run gets a new {id}');
    assert.match(editorText, /X-Amz-Expires=604800/);
  });

  it('Test Presigned PUT URL tests the URL under the cursor with its callback\'s Content-Type', async () => {
    const wb = workbench();
    // The editor from the previous test: click into the SRT callback's URL.
    await wb.page.locator('.editor-instance .monaco-editor .view-line', { hasText: 'transcript.srt?' }).first().click();
    await wb.runCommand('S3 Hooks: Test Presigned PUT URL');
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible' });
    assert.match(await dialog.innerText(), /s3:\/\/bkt\/s3-hooks\/.*\/transcript\.srt, replacing whatever is stored at that key/);
    await dialog.locator('.monaco-button', { hasText: 'Upload Sample' }).click();
    await notification(wb, /S3 accepted the test upload \(200\): \d+ bytes of text\/srt are stored at s3:\/\/bkt\/s3-hooks\/.*\/transcript\.srt/);
    await wb.hideNotificationsCenter();
  });

  it('Test Presigned PUT URL from the editor\'s context menu tests the URL right-clicked (VS Code passes the document\'s Uri)', async () => {
    const wb = workbench();
    const line = wb.page.locator('.editor-instance .monaco-editor .view-line', { hasText: 'analytics.json?' }).first();
    await line.click({ button: 'right' });
    const item = wb.page.locator('.context-view .action-item', { hasText: 'Test Presigned PUT URL' }).first();
    await item.waitFor({ state: 'visible' });
    // VS Code's menus ignore a mouse-up that comes right after they open (so that releasing the right
    // button does not pick an item); choose the item with the keyboard, which they never ignore.
    await item.hover();
    await wb.page.locator('.context-view .action-item.focused', { hasText: 'Test Presigned PUT URL' }).waitFor({ state: 'visible' });
    await wb.page.keyboard.press('Enter');
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible' });
    assert.match(await dialog.innerText(), /s3:\/\/bkt\/s3-hooks\/.*\/analytics\.json, replacing whatever is stored at that key/);
    await dialog.locator('.monaco-button', { hasText: 'Upload Sample' }).click();
    await notification(wb, /S3 accepted the test upload \(200\): \d+ bytes of application\/json are stored at s3:\/\/bkt\/s3-hooks\/.*\/analytics\.json/);
    await wb.hideNotificationsCenter();
  });

  it('Clear S3 Access Keys forgets them', async () => {
    const wb = workbench();
    await wb.runCommand('S3 Hooks: Clear S3 Access Keys');
    await notification(wb, 'S3 access keys cleared');
    await wb.hideNotificationsCenter();
  });
});
