import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import * as vscode from 'vscode';
import { CommandIds } from '../../src/commandIds';
import { createS3Client } from '../../src/core/s3/connection';
import type { DownloadEntry } from '../../src/recentDownloads/recentDownloadsModel';
import { contextValueFor, describeEntry } from '../../src/recentDownloads/recentDownloadsProvider';
import { startFaultServer, type FaultServer } from '../support/faultServer';
import { startLocalS3, type LocalS3 } from '../support/localS3';
import { activateS3Hooks } from './extensionUnderTest';

const sha256 = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('Fetch files from events (in VS Code)', () => {
  let s3: LocalS3;
  const body = randomBytes(200_000);
  let workspace: string;
  const created: string[] = [];

  async function presign(key: string, opts: { expiresIn?: number; signingDate?: Date } = {}): Promise<string> {
    const client = createS3Client(s3.connection);
    try {
      return await getSignedUrl(client, new GetObjectCommand({ Bucket: 'bkt', Key: key }), { expiresIn: opts.expiresIn ?? 3 * 3600, signingDate: opts.signingDate });
    } finally {
      client.destroy();
    }
  }

  async function writeEvent(name: string, event: unknown): Promise<vscode.Uri> {
    const path = join(workspace, name);
    await writeFile(path, JSON.stringify(event, null, 2));
    created.push(path);
    return vscode.Uri.file(path);
  }

  before(async () => {
    s3 = await startLocalS3(['bkt']);
    const client = createS3Client(s3.connection);
    await client.send(new PutObjectCommand({ Bucket: 'bkt', Key: 'results/analysis-25872252137.json', Body: body }));
    client.destroy();
    workspace = vscode.workspace.workspaceFolders![0].uri.fsPath;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const path of created) {
      await rm(path, { force: true });
    }
    await rm(join(workspace, 's3-downloads'), { recursive: true, force: true });
    await s3?.close();
  });

  it('the command with a .json URI fetches the file into the workspace and the tree shows it as done', async () => {
    const { api } = await activateS3Hooks();
    const uri = await writeEvent('live.klavi-event.json', {
      partnerAppId: '12345678',
      eventId: 'it-1',
      eventType: 'analysis',
      eventName: 'analysis finished',
      eventTime: new Date().toISOString(),
      payload: { batchId: '25872252137', presignedUrl: await presign('results/analysis-25872252137.json') },
    });
    const entries = await vscode.commands.executeCommand<DownloadEntry[]>(CommandIds.fetchFromEvent, uri);
    assert.equal(entries.length, 1);
    const [entry] = entries;
    assert.equal(entry.status, 'done', entry.message);
    assert.equal(entry.path, join(workspace, 's3-downloads', 'analysis-25872252137.json'));
    assert.equal(sha256(await readFile(entry.path ?? '')), sha256(body));
    const listed = api.recentDownloads.list()[0];
    assert.equal(listed.id, entry.id);
    assert.equal(listed.status, 'done');
    assert.match(contextValueFor(listed), /^download\.done\b.*\bhasFile\b/);
    assert.match(describeEntry(listed), /^195 KB · just now$/);
    assert.equal(listed.sourceUri, uri.toString());
    assert.ok(!JSON.stringify(listed).includes('X-Amz-Signature=') || JSON.stringify(listed).includes('X-Amz-Signature=REDACTED'));
  });

  it('an expired event shows the expired state and its message, and writes nothing', async () => {
    const { api } = await activateS3Hooks();
    const twoDaysAgo = new Date(Date.now() - 2 * 86400_000);
    const uri = await writeEvent('expired.klavi-event.json', {
      eventId: 'it-expired',
      eventName: 'analysis finished',
      eventTime: twoDaysAgo.toISOString(),
      payload: { presignedUrl: await presign('results/analysis-25872252137.json', { expiresIn: 3600, signingDate: twoDaysAgo }) },
    });
    const before = existsSync(join(workspace, 's3-downloads')) ? await readdir(join(workspace, 's3-downloads')) : [];
    const [entry] = await vscode.commands.executeCommand<DownloadEntry[]>(CommandIds.fetchFromEvent, { uri: uri.toString() });
    assert.equal(entry.status, 'expired');
    assert.match(entry.message ?? '', /expired 4\d h ago .*fresh link/);
    assert.equal(api.recentDownloads.get(entry.id)?.status, 'expired');
    assert.match(contextValueFor(entry), /^download\.expired/);
    const after = existsSync(join(workspace, 's3-downloads')) ? await readdir(join(workspace, 's3-downloads')) : [];
    assert.deepEqual(after, before);
  });

  it('a CodeLens is provided above the presigned URL of a JSON document', async () => {
    const uri = await writeEvent('lens.klavi-event.json', {
      eventId: 'it-lens',
      eventTime: new Date().toISOString(),
      payload: { presignedUrl: await presign('results/analysis-25872252137.json') },
    });
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
    const ours = lenses.filter((l) => l.command?.command === CommandIds.fetchFromEvent);
    assert.equal(ours.length, 1);
    assert.match(ours[0].command!.title, /Fetch · expires in (2|3) h/);
    assert.equal(doc.lineAt(ours[0].range.start.line).text.trim().startsWith('"presignedUrl"'), true);
    assert.deepEqual((ours[0].command!.arguments![0] as { jsonPath: unknown }).jsonPath, ['payload', 'presignedUrl']);
  });

  it('the hover decodes the URL (bucket, key, expiry) with the signature redacted', async () => {
    const uri = vscode.Uri.file(join(workspace, 'lens.klavi-event.json'));
    const doc = await vscode.workspace.openTextDocument(uri);
    const line = doc.getText().split('\n').findIndex((l) => l.includes('"presignedUrl"'));
    const column = doc.lineAt(line).text.indexOf('http') + 5;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line, column));
    const text = hovers
      .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)))
      .join('\n')
      .replace(/&nbsp;/g, ' ')
      .replace(/\\([()+])/g, '$1');
    assert.match(text, /Presigned S3 URL/);
    assert.match(text, /Bucket: bkt/);
    assert.match(text, /Key: results\/analysis-25872252137\.json/);
    assert.match(text, /Expires: .*\(expires in 2 h, from the URL \(X-Amz-Date \+ X-Amz-Expires\)\)/);
    assert.match(text, /X-Amz-Signature=REDACTED/);
    assert.doesNotMatch(text, /X-Amz-Credential=S3RVER/);
  });

  it('Delete File (confirmed by argument) removes the file and the entry; Remove from List keeps files', async () => {
    const { api } = await activateS3Hooks();
    const [entry] = await vscode.commands.executeCommand<DownloadEntry[]>(CommandIds.fetchFromEvent, {
      text: JSON.stringify({ presignedUrl: await presign('results/analysis-25872252137.json') }),
    });
    assert.equal(entry.status, 'done', entry.message);
    assert.match(entry.fileName, /analysis-25872252137 \(\d+\)\.json/, 'an existing file is never overwritten');
    await vscode.commands.executeCommand(CommandIds.deleteDownloadFile, entry.id, { confirmed: true });
    assert.equal(existsSync(entry.path!), false);
    assert.equal(api.recentDownloads.get(entry.id), undefined);
    const expired = api.recentDownloads.list().find((e) => e.status === 'expired')!;
    await vscode.commands.executeCommand(CommandIds.removeDownload, expired.id);
    assert.equal(api.recentDownloads.get(expired.id), undefined);
  });

  it('from the palette with no argument: the selection first, else the active JSON document, else JSON on the clipboard', async () => {
    const url = await presign('results/analysis-25872252137.json');
    // 1. A selection (here: just the URL inside a larger, non-JSON text document).
    const notes = await vscode.workspace.openTextDocument({ language: 'plaintext', content: `the link: ${url}\nthanks` });
    const editor = await vscode.window.showTextDocument(notes);
    const start = notes.getText().indexOf('http');
    editor.selection = new vscode.Selection(notes.positionAt(start), notes.positionAt(start + url.length));
    const [fromSelection] = await vscode.commands.executeCommand<DownloadEntry[]>(CommandIds.fetchFromEvent);
    assert.equal(fromSelection.status, 'done', fromSelection.message);
    assert.match(fromSelection.sourceLabel, /^the selection in /);

    // 2. The active JSON document, unsaved edits included.
    const uri = await writeEvent('palette.klavi-event.json', { eventId: 'it-palette', payload: {} });
    const doc = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await doc.edit((e) => e.replace(new vscode.Range(0, 0, doc.document.lineCount, 0), JSON.stringify({ eventId: 'it-palette', payload: { presignedUrl: url } })));
    const [fromDocument] = await vscode.commands.executeCommand<DownloadEntry[]>(CommandIds.fetchFromEvent);
    assert.equal(fromDocument.status, 'done', fromDocument.message);
    assert.equal(fromDocument.shape, 'klavi');
    assert.equal(fromDocument.sourceUri, uri.toString());
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

    // 3. No editor: JSON on the clipboard.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.env.clipboard.writeText(JSON.stringify({ streams: [{ streamName: 'original', streamLocation: url }] }));
    const [fromClipboard] = await vscode.commands.executeCommand<DownloadEntry[]>(CommandIds.fetchFromEvent);
    assert.equal(fromClipboard.status, 'done', fromClipboard.message);
    assert.equal(fromClipboard.shape, 'voicebase');
    assert.equal(fromClipboard.sourceLabel, 'the clipboard');
  });

  it('malformed JSON fetches nothing (the error notification names its line and column: core tests check the text)', async () => {
    const { api } = await activateS3Hooks();
    const count = api.recentDownloads.list().length;
    const result = await vscode.commands.executeCommand<DownloadEntry[]>(CommandIds.fetchFromEvent, { text: '{\n  "payload": {\n    "presignedUrl" "x"\n  }\n}' });
    assert.deepEqual(result, []);
    assert.equal(api.recentDownloads.list().length, count);
  });

  describe('Retry/Resume and Cancel from Recent Downloads (against a fault-injecting server)', () => {
    let fault: FaultServer | undefined;
    const big = randomBytes(3_000_000);

    afterEach(async () => {
      await fault?.close();
      fault = undefined;
    });

    it('a connection that keeps failing ends as failed with the part kept; Retry / Resume completes it exactly', async function () {
      this.timeout(60_000);
      const { api } = await activateS3Hooks();
      // Drop after 1 MB, then 503 for the four retries (0.5 + 1 + 2 + 4 s of backoff), then serve.
      const unavailable = { kind: 'status' as const, status: 503, body: '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>' };
      fault = await startFaultServer({ body: big, etag: '"v1"', faults: [{ kind: 'drop', afterBytes: 1_000_000 }, unavailable, unavailable, unavailable, unavailable] });
      const [failed] = await vscode.commands.executeCommand<DownloadEntry[]>(CommandIds.fetchFromEvent, { text: fault.url('/bkt/resumable.bin') });
      assert.equal(failed.status, 'failed');
      assert.match(failed.message ?? '', /can be resumed/);
      const partPath = failed.partPath ?? '';
      assert.ok(existsSync(partPath), 'the .part file is kept');
      assert.match(contextValueFor(failed), /\bresumable\b/);
      const resumed = await vscode.commands.executeCommand<DownloadEntry>(CommandIds.retryDownload, failed.id);
      assert.equal(resumed.status, 'done', resumed.message);
      assert.equal(sha256(await readFile(resumed.path ?? '')), sha256(big));
      assert.equal(fault.requests.at(-1)?.headers.range, 'bytes=1000000-');
      assert.equal(fault.requests.at(-1)?.headers['if-match'], '"v1"');
      assert.equal(existsSync(partPath), false);
      assert.equal(api.recentDownloads.get(failed.id)?.status, 'done');
    });

    it('Cancel Download stops a running download: cancelled, and no file', async () => {
      const { api } = await activateS3Hooks();
      fault = await startFaultServer({ body: big, then: { kind: 'slow', chunkBytes: 32_768, intervalMs: 20 } });
      const running = vscode.commands.executeCommand<DownloadEntry[]>(CommandIds.fetchFromEvent, { text: fault.url('/bkt/slow.bin') });
      let entry: DownloadEntry | undefined;
      for (let i = 0; i < 100 && !(entry && entry.bytes > 0); i++) {
        await new Promise((r) => setTimeout(r, 50));
        entry = api.recentDownloads.list().find((e) => e.fileName === 'slow.bin' && e.status === 'inProgress');
      }
      assert.ok(entry, 'the download shows as in progress');
      await vscode.commands.executeCommand(CommandIds.cancelDownload, entry.id);
      const [done] = await running;
      assert.equal(done.status, 'cancelled');
      assert.equal(existsSync(join(workspace, 's3-downloads', 'slow.bin')), false);
      assert.equal(existsSync(join(workspace, 's3-downloads', 'slow.bin.part')), false);
    });
  });
});
