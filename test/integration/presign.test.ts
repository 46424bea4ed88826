import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CommandIds } from '../../src/commandIds';
import { contentTypeFor } from '../../src/core/presign/contentTypes';
import type { TestUploadResult } from '../../src/core/presign/testUpload';
import type { CreateCallbackJsonArgs, CreatePresignedPutArgs } from '../../src/core/presign/commandArgs';
import type { PresignCommandResult } from '../../src/presign/resultPresenter';
import { SettingsSection } from '../../src/settings';
import type { LocalS3 } from '../support/localS3';
import { activateS3Hooks } from './extensionUnderTest';
import { LocalS3Workspace } from './localS3Workspace';

interface VoiceBaseJson {
  publish: { callbacks: { url: string; method: string; type: string; include?: string[]; format?: string; stream?: string; role?: string }[] };
}

describe('Presigned PUT callbacks in a real VS Code', function () {
  const local = new LocalS3Workspace();
  const opened = local.opened;
  const s3 = (): LocalS3 => local.s3;

  before(async () => {
    await activateS3Hooks();
    // The extension host starts the SigV4-verifying server itself, like a user's local MinIO.
    await local.start(['bkt']);
  });

  after(async () => {
    await local.stop();
  });

  async function run<T>(command: string, args: object): Promise<T> {
    const result = await vscode.commands.executeCommand<T>(command, args);
    if (result && typeof result === 'object' && 'document' in result) {
      opened.push((result as unknown as PresignCommandResult).document);
    }
    return result;
  }

  function documentOf(result: PresignCommandResult): vscode.TextDocument {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === result.document.toString());
    assert.ok(doc, 'the result document is open');
    assert.equal(doc.isUntitled, true, 'an untitled document');
    assert.equal(doc.languageId, 'json');
    assert.equal(vscode.window.activeTextEditor?.document, doc, 'and shown');
    return doc;
  }

  it('Create Presigned PUT URL with an argument object opens { url, method, headers, expiresAt } whose URL works', async () => {
    const args: CreatePresignedPutArgs = { bucket: 'bkt', key: 'it/{id}.{ext}', contentType: 'application/json', expiresIn: 3600, id: 'single-1' };
    const result = await run<PresignCommandResult>(CommandIds.createPresignedPutUrl, args);
    assert.ok(result, 'the command returned a result');
    const json = JSON.parse(documentOf(result).getText()) as { url: string; method: string; headers: Record<string, string>; expiresAt: string };
    assert.deepEqual(json, result.json);
    assert.deepEqual(Object.keys(json), ['url', 'method', 'headers', 'expiresAt']);
    assert.equal(json.method, 'PUT');
    assert.deepEqual(json.headers, { 'Content-Type': 'application/json' });
    assert.ok(json.url.startsWith(`${s3().endpoint}/bkt/it/single-1.json?`), json.url);
    assert.doesNotMatch(json.url, /x-amz-checksum|x-amz-sdk-checksum-algorithm/i);
    const expiresIn = (Date.parse(json.expiresAt) - Date.now()) / 1000;
    assert.ok(expiresIn > 3590 && expiresIn <= 3600, `expiresAt ${json.expiresAt}`);
    assert.deepEqual(result.warnings, []);
    assert.equal(result.curl.length, 1);

    const ok = await fetch(json.url, { method: json.method, headers: json.headers, body: '{"from":"vscode"}' });
    assert.equal(ok.status, 200, await ok.text());
    const single = await s3().readObject('it/single-1.json');
    assert.deepEqual({ text: single.text, contentType: single.contentType }, { text: '{"from":"vscode"}', contentType: 'application/json' });
    const refused = await fetch(json.url, { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: 'x' });
    assert.equal(refused.status, 403);
  });

  it('Create Callback JSON… (VoiceBase v3) with an argument object opens publish.callbacks whose URLs work', async () => {
    const args: CreateCallbackJsonArgs = {
      vendor: 'voicebase',
      bucket: 'bkt',
      keyTemplate: 'vb/{id}/{name}.{ext}',
      analytics: { include: ['metadata', 'transcript'] },
      transcript: ['srt', 'webvtt'],
      media: ['original'],
      role: 'arn:aws:iam::123456789012:role/s3-delivery-role',
      expiresIn: '24h',
      id: 'job-7',
    };
    const result = await run<PresignCommandResult>(CommandIds.createCallbackJson, args);
    assert.ok(result, 'the command returned a result');
    const json = JSON.parse(documentOf(result).getText()) as VoiceBaseJson;
    assert.deepEqual(json, result.json);
    assert.deepEqual(Object.keys(json), ['publish']);
    const callbacks = json.publish.callbacks;
    assert.deepEqual(
      callbacks.map((c) => [c.type, c.include ?? c.format ?? c.stream]),
      [
        ['analytics', ['metadata', 'transcript']],
        ['transcript', 'srt'],
        ['transcript', 'webvtt'],
        ['media', 'original'],
      ],
    );
    const keys = ['vb/job-7/analytics.json', 'vb/job-7/transcript.srt', 'vb/job-7/transcript.vtt', 'vb/job-7/media-original.bin'];
    for (const [i, c] of callbacks.entries()) {
      assert.equal(c.method, 'PUT');
      assert.equal(c.role, args.role);
      const allowed = ['url', 'method', 'type', c.type === 'analytics' ? 'include' : c.type === 'transcript' ? 'format' : 'stream', 'role'];
      assert.deepEqual(Object.keys(c), allowed, 'only fields VoiceBase accepts');
      assert.ok(c.url.startsWith(`${s3().endpoint}/bkt/${keys[i]}?`), c.url);
      const contentType = contentTypeFor(c.type, c.format ?? c.stream);
      const res = await fetch(c.url, { method: c.method, headers: { 'Content-Type': contentType }, body: `vendor result ${i}` });
      assert.equal(res.status, 200, await res.text());
      const stored = await s3().readObject(keys[i]);
      assert.deepEqual({ text: stored.text, contentType: stored.contentType }, { text: `vendor result ${i}`, contentType });
    }
    assert.deepEqual(result.warnings, [], '24 hours with long-lived keys warns about nothing');
    assert.equal(result.curl.length, 4);
  });

  it("warns, and still creates the JSON, when the URLs expire before VoiceBase's retry window ends", async () => {
    const result = await run<PresignCommandResult>(CommandIds.createCallbackJson, { bucket: 'bkt', analytics: true, expiresIn: 3600 });
    assert.ok(result);
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0], /shorter than VoiceBase's retry window/);
    const json = JSON.parse(documentOf(result).getText()) as VoiceBaseJson;
    assert.equal(json.publish.callbacks.length, 1);
  });

  it('Create Callback JSON… (generic) gives the single-URL form; keys follow the key template setting', async () => {
    const config = vscode.workspace.getConfiguration(SettingsSection);
    await config.update('presign.keyTemplate', 'generic/{type}-{id}.{ext}', vscode.ConfigurationTarget.Workspace);
    try {
      const result = await run<PresignCommandResult>(CommandIds.createCallbackJson, { vendor: 'generic', bucket: 'bkt', contentType: 'text/vtt', id: 'g1' });
      assert.ok(result);
      const json = JSON.parse(documentOf(result).getText()) as { url: string; headers: Record<string, string> };
      assert.ok(json.url.startsWith(`${s3().endpoint}/bkt/generic/upload-g1.vtt?`), json.url);
      assert.deepEqual(json.headers, { 'Content-Type': 'text/vtt' });
    } finally {
      await config.update('presign.keyTemplate', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('bad input opens no document and returns nothing', async () => {
    const before = vscode.workspace.textDocuments.length;
    assert.equal(await run(CommandIds.createPresignedPutUrl, { bucket: 'Bad_Bucket', key: 'k' }), undefined);
    assert.equal(await run(CommandIds.createCallbackJson, { bucket: 'bkt', transcript: ['mp4'] }), undefined);
    assert.equal(await run(CommandIds.createCallbackJson, { bucket: 'bkt', analytics: true, expiresIn: 604_801 }), undefined);
    assert.equal(vscode.workspace.textDocuments.length, before);
  });

  it('Test Presigned PUT URL uploads with the signed headers and explains a refusal', async () => {
    const created = await run<PresignCommandResult>(CommandIds.createCallbackJson, { bucket: 'bkt', transcript: ['dfxp'], id: 'probe' });
    assert.ok(created);
    const url = (created.json as VoiceBaseJson).publish.callbacks[0].url;

    const accepted = await run<TestUploadResult>(CommandIds.testPresignedPutUrl, { url });
    assert.equal(accepted.outcome, 'accepted', accepted.message);
    assert.deepEqual(accepted.sentHeaders, { 'Content-Type': 'application/ttaf+xml' }, 'the Content-Type implied by the .dfxp key');
    assert.match((await s3().readObject(accepted.key!)).text, /^<\?xml/);

    const refused = await run<TestUploadResult>(CommandIds.testPresignedPutUrl, { url, contentType: 'text/plain' });
    assert.equal(refused.outcome, 'refused');
    assert.equal(refused.report?.code, 'SignatureDoesNotMatch');
    assert.match(refused.message, /Content-Type/);
  });

  it('Set S3 Access Keys… rejects an incomplete argument object and keeps the stored keys', async () => {
    assert.equal(await vscode.commands.executeCommand(CommandIds.setAccessKeys, { accessKeyId: 'has space', secretAccessKey: 'x' }), false);
    const result = await run<PresignCommandResult>(CommandIds.createPresignedPutUrl, { bucket: 'bkt', key: 'still-works.txt' });
    assert.ok(result, 'the saved keys still sign');
    const json = result.json as { url: string };
    assert.equal((await fetch(json.url, { method: 'PUT', body: new Uint8Array([1, 2, 3]) })).status, 200);
  });
});
