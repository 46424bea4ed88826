import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { CommandIds } from '../../src/commandIds';
import type { DeliveryResult } from '../../src/core/deliveries/deliveries';
import type { CreateCallbackJsonArgs } from '../../src/core/presign/commandArgs';
import type { TestUploadResult } from '../../src/core/presign/testUpload';
import type { DeliveryNode } from '../../src/deliveries/callbackDeliveriesProvider';
import type { CallbackDeliveriesModel } from '../../src/deliveries/callbackDeliveriesModel';
import type { PresignCommandResult } from '../../src/presign/resultPresenter';
import type { LocalS3 } from '../support/localS3';
import { when } from './conditions';
import { activateS3Hooks } from './extensionUnderTest';
import { LocalS3Workspace } from './localS3Workspace';

interface Callbacks {
  publish: { callbacks: { url: string; type: string; format?: string }[] };
}

describe('Callback documents and deliveries in a real VS Code', function () {
  const local = new LocalS3Workspace();
  const opened = local.opened;
  const s3 = (): LocalS3 => local.s3;
  let deliveries: CallbackDeliveriesModel;
  const folder = () => vscode.workspace.workspaceFolders![0].uri.fsPath;

  before(async () => {
    const { api } = await activateS3Hooks();
    deliveries = api.callbackDeliveries;
    await local.start(['bkt']);
  });

  after(async () => {
    for (const doc of deliveries.list()) {
      await vscode.commands.executeCommand(CommandIds.untrackCallbackDocument, { kind: 'document', document: doc } satisfies DeliveryNode);
    }
    await local.stop();
  });

  async function createCallbacks(args: CreateCallbackJsonArgs): Promise<vscode.TextDocument> {
    const result = await vscode.commands.executeCommand<PresignCommandResult>(CommandIds.createCallbackJson, args);
    assert.ok(result, 'Create Callback JSON returned a result');
    opened.push(result.document);
    return vscode.workspace.openTextDocument(result.document);
  }

  const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'S3 Hooks');
  const diagnosticsWhere = (uri: vscode.Uri, test: (codes: string[]) => boolean, what: string) =>
    when(vscode.languages.onDidChangeDiagnostics, () => {
      const found = ours(uri);
      return test(found.map((d) => (typeof d.code === 'string' ? d.code : ''))) ? found : undefined;
    }, what);

  async function quickFix(doc: vscode.TextDocument, diagnostic: vscode.Diagnostic, title: string): Promise<void> {
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const action = actions.find((a) => a.title === title);
    assert.ok(action?.command, `quick fix "${title}" among ${actions.map((a) => a.title).join(', ')}`);
    await vscode.commands.executeCommand(action.command.command, ...((action.command.arguments ?? []) as unknown[]));
  }

  const tracked = (uri: vscode.Uri) => deliveries.list().find((d) => d.uri === uri.toString());

  it('a callback document from Create Callback JSON shows a lens per URL, and one to track deliveries', async () => {
    const doc = await createCallbacks({ bucket: 'bkt', keyTemplate: 'lens/{id}/{name}.{ext}', analytics: true, transcript: ['srt'], expiresIn: '24h', id: 'l1' });
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    const titles = lenses.map((l) => l.command?.title ?? '').filter((t) => /Test upload|Track Callback/.test(t));
    assert.deepEqual(titles, [
      '$(eye) Track Callback Deliveries (2)',
      '$(beaker) Test upload · application/json · expires in 23 h',
      '$(beaker) Test upload · text/srt · expires in 23 h',
    ]);
    assert.deepEqual(ours(doc.uri), [], 'a fresh document has no problems');
  });

  it('a mismatched Content-Type and an expired URL are problems whose quick fixes re-sign them in place', async () => {
    const doc = await createCallbacks({ bucket: 'bkt', keyTemplate: 'fix/{id}/{name}.{ext}', transcript: ['srt', 'json'], expiresIn: 3600, id: 'f1' });
    const editor = await vscode.window.showTextDocument(doc);
    const at = doc.getText().indexOf('"format": "srt"');
    await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(at), doc.positionAt(at + '"format": "srt"'.length)), '"format": "webvtt"'));
    const [mismatch] = await diagnosticsWhere(doc.uri, (c) => c.includes('contentTypeMismatch'), 'the Content-Type problem');
    assert.match(mismatch.message, /^Content-Type text\/srt is signed, but text\/vtt is sent/);
    assert.equal(mismatch.severity, vscode.DiagnosticSeverity.Error);
    await quickFix(doc, mismatch, 'Re-sign this presigned URL');
    await diagnosticsWhere(doc.uri, (c) => c.length === 0, 'no problems after re-signing');
    const fixed = (JSON.parse(doc.getText()) as Callbacks).publish.callbacks[0];
    assert.ok(fixed.url.startsWith(`${s3().endpoint}/bkt/fix/f1/transcript.srt?`), 'same bucket and key');
    const put = await fetch(fixed.url, { method: 'PUT', headers: { 'Content-Type': 'text/vtt' }, body: 'WEBVTT\n' });
    assert.equal(put.status, 200, 're-signed for the Content-Type VoiceBase sends for webvtt');

    const old = await createCallbacks({ bucket: 'bkt', keyTemplate: 'old/{id}/{name}.{ext}', transcript: ['srt', 'json'], expiresIn: 3600, id: 'o1', signingDate: '2021-03-04T05:06:07Z' });
    const expired = await diagnosticsWhere(old.uri, (c) => c.filter((x) => x === 'expired').length === 2, 'two expired URLs');
    assert.match(expired[0].message, /^Presigned URL expired 5 years ago \(at 2021-03-04T06:06:07Z\)/);
    await quickFix(old, expired[0], 'Re-sign all expired URLs');
    await diagnosticsWhere(old.uri, (c) => c.length === 0, 'no problems after Re-sign all expired URLs');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', old.uri);
    assert.ok(lenses.filter((l) => /expires in 59 min/.test(l.command?.title ?? '')).length === 2, 'a fresh hour each');
  });

  it('after a test upload of one result, Track Callback Deliveries shows it delivered and the rest pending; a delivered result fetches and shares', async () => {
    const doc = await createCallbacks({ bucket: 'bkt', keyTemplate: 'track/{id}/{name}.{ext}', analytics: true, transcript: ['srt', 'webvtt'], expiresIn: '24h', id: 't1' });
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    const srtLens = lenses.find((l) => /Test upload · text\/srt/.test(l.command?.title ?? ''));
    assert.ok(srtLens?.command);
    const upload = await vscode.commands.executeCommand<TestUploadResult>(srtLens.command.command, ...((srtLens.command.arguments ?? []) as unknown[]));
    assert.equal(upload.outcome, 'accepted', upload.message);

    // The lens at the top passes the document's Uri, as the editor and Explorer menus do.
    await vscode.commands.executeCommand(CommandIds.trackCallbackDeliveries, doc.uri);
    const results = await when(deliveries.onDidChange, () => {
      const r = tracked(doc.uri)?.results;
      return r && r.length === 3 ? r : undefined;
    }, 'three results');
    assert.deepEqual(
      results.map((r) => [r.label, r.state]),
      [
        ['analytics', 'pending'],
        ['transcript (srt)', 'delivered'],
        ['transcript (webvtt)', 'pending'],
      ],
    );
    const srt = results[1];
    assert.equal(srt.storedContentType, 'text/srt');
    assert.equal(srt.contentTypeMatches, true);
    assert.ok(deliveries.isWatching(doc.uri.toString()), 'keeps watching while some are pending');

    // Fetch Delivered Result and Copy Presigned GET URL take the tree item the view passes.
    const node: DeliveryNode = { kind: 'result', uri: doc.uri.toString(), result: srt };
    await vscode.commands.executeCommand(CommandIds.fetchDeliveredResult, node);
    const saved = join(folder(), 's3-downloads', 'transcript.srt');
    assert.ok(existsSync(saved), `${saved} exists`);
    assert.match(readFileSync(saved, 'utf8'), /S3 Hooks test upload/);
    const url = await vscode.commands.executeCommand<string>(CommandIds.copyPresignedGetUrl, node);
    assert.equal(await vscode.env.clipboard.readText(), url);
    const got = await fetch(url);
    assert.equal(got.status, 200);
    assert.match(await got.text(), /S3 Hooks test upload/);

    // A Recent Downloads item (bucket and key of what was fetched) gets a presigned GET URL the same way.
    const { api } = await activateS3Hooks();
    const entry = api.recentDownloads.list().find((e) => e.key === 'track/t1/transcript.srt');
    assert.ok(entry, 'the fetch is in Recent Downloads');
    const entryUrl = await vscode.commands.executeCommand<string>(CommandIds.copyPresignedGetUrl, entry);
    assert.equal((await fetch(entryUrl)).status, 200);

    // The check-again button passes the document item; the listener's S3 notification path marks a delivery at once.
    const webvtt = JSON.parse(doc.getText()) as Callbacks;
    const put = await fetch(webvtt.publish.callbacks[2].url, { method: 'PUT', headers: { 'Content-Type': 'text/vtt' }, body: 'WEBVTT\n' });
    assert.equal(put.status, 200);
    await vscode.commands.executeCommand(CommandIds.refreshCallbackDeliveries, { kind: 'document', document: tracked(doc.uri)! } satisfies DeliveryNode);
    assert.equal(tracked(doc.uri)!.results.find((r: DeliveryResult) => r.label === 'transcript (webvtt)')?.state, 'delivered');
  });

  it('Track Callback Deliveries takes several Explorer Uris, nothing (the active editor), and refuses a file without PUT URLs', async () => {
    const dir = join(folder(), 'callbacks');
    await mkdir(dir, { recursive: true });
    const docA = await createCallbacks({ bucket: 'bkt', keyTemplate: 'multi/{id}/{name}.{ext}', transcript: ['srt'], expiresIn: 3600, id: 'a' });
    const docB = await createCallbacks({ bucket: 'bkt', keyTemplate: 'multi/{id}/{name}.{ext}', transcript: ['text'], expiresIn: 3600, id: 'b' });
    const a = vscode.Uri.file(join(dir, 'a.json'));
    const b = vscode.Uri.file(join(dir, 'b.json'));
    await writeFile(a.fsPath, docA.getText());
    await writeFile(b.fsPath, docB.getText());
    await vscode.commands.executeCommand(CommandIds.trackCallbackDeliveries, a, [a, b]);
    assert.ok(tracked(a) && tracked(b), 'both selected files are tracked');
    assert.deepEqual(tracked(b)!.results.map((r) => r.state), ['pending']);

    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(a));
    await vscode.commands.executeCommand(CommandIds.trackCallbackDeliveries);
    assert.equal(deliveries.list()[0].uri, a.toString(), 'the palette route tracks the active editor, moved to the top');

    const event = vscode.Uri.file(join(folder(), 'object-created.s3-event.json'));
    const before = deliveries.list().length;
    await vscode.commands.executeCommand(CommandIds.trackCallbackDeliveries, event);
    assert.equal(deliveries.list().length, before, 'an event JSON is not a callback document');

    await vscode.commands.executeCommand(CommandIds.untrackCallbackDocument, { kind: 'document', document: tracked(b)! } satisfies DeliveryNode);
    assert.equal(tracked(b), undefined);
  });

  it('Create Presigned GET URL and Create Presigned POST Form take argument objects; Re-sign All Expired URLs and Check Again take nothing', async () => {
    const doc = await createCallbacks({ bucket: 'bkt', keyTemplate: 'palette/{id}/{name}.{ext}', transcript: ['srt'], expiresIn: 3600, id: 'p1', signingDate: '2021-03-04T05:06:07Z' });
    await vscode.window.showTextDocument(doc);
    await diagnosticsWhere(doc.uri, (c) => c.includes('expired'), 'the expired URL');
    assert.equal(await vscode.commands.executeCommand<number>(CommandIds.resignExpiredUrls), 1, 'the palette route re-signs the active editor\'s expired URL');
    const url = (JSON.parse(doc.getText()) as Callbacks).publish.callbacks[0].url;
    assert.equal((await fetch(url, { method: 'PUT', headers: { 'Content-Type': 'text/srt' }, body: '1\n' })).status, 200);

    const get = await vscode.commands.executeCommand<string>(CommandIds.createPresignedGetUrl, { bucket: 'bkt', key: 'palette/p1/transcript.srt', expiresIn: '10m' });
    assert.equal(await (await fetch(get)).text(), '1\n');

    const post = await vscode.commands.executeCommand<{ url: string; fields: Record<string, string>; curl: string }>(CommandIds.createPresignedPost, {
      bucket: 'bkt',
      key: 'palette/form.txt',
      contentType: 'text/plain',
      maxSize: 100,
      expiresIn: 600,
    });
    const opened = vscode.window.activeTextEditor!.document;
    assert.ok(opened.isUntitled && opened.languageId === 'json', 'the form opens as an untitled JSON document');
    assert.deepEqual(JSON.parse(opened.getText()), { url: post.url, fields: post.fields });
    const form = new FormData();
    for (const [name, value] of Object.entries(post.fields)) {
      form.append(name, value);
    }
    form.append('file', new Blob(['posted'], { type: 'text/plain' }), 'form.txt');
    const res = await fetch(post.url, { method: 'POST', body: form });
    assert.ok(res.status >= 200 && res.status < 300, String(res.status));
    const back = await vscode.commands.executeCommand<string>(CommandIds.createPresignedGetUrl, { bucket: 'bkt', key: 'palette/form.txt' });
    assert.equal(await (await fetch(back)).text(), 'posted');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

    // Check Again from the view's title bar passes nothing: every tracked document is checked.
    await vscode.commands.executeCommand(CommandIds.trackCallbackDeliveries, doc.uri);
    await vscode.commands.executeCommand(CommandIds.refreshCallbackDeliveries);
    assert.equal(tracked(doc.uri)?.results[0].state, 'delivered');
  });
});
