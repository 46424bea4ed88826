import * as assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import * as vscode from 'vscode';
import { CommandIds } from '../../src/commandIds';
import { confirmationSignature } from '../../src/core/confirmation/signature';
import { presignObjectGet } from '../../src/core/download/fetchReference';
import type { ReplayResult } from '../../src/core/listener/replay';
import { demoResultUrl, sampleKlaviAnalysis } from '../../src/core/listener/sampleEvents';
import { createS3Client } from '../../src/core/s3/connection';
import { postJson } from '../support/httpClient';
import { startLocalS3, type LocalS3 } from '../support/localS3';
import { vkConfirmation as confirmation, vkConfirmationFields as fields } from '../support/vkConfirmation';
import { activateS3Hooks } from './extensionUnderTest';


async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Webhook listener in a real VS Code', function () {
  this.timeout(60_000);
  const publicUrl = 'https://abc.trycloudflare.com/hooks/vk';

  after(async () => {
    await vscode.commands.executeCommand(CommandIds.stopWebhookListener);
  });

  it('starts from the command: the status says listening on 127.0.0.1', async () => {
    const { api } = await activateS3Hooks();
    assert.equal(api.webhookListener.current.state, 'off');
    const url = await vscode.commands.executeCommand<string>(CommandIds.startWebhookListener, { port: 0, publicUrl });
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const status = api.webhookListener.current;
    assert.equal(status.state, 'listening');
    assert.equal(status.localUrl, url);
    assert.ok(status.externalUrl, 'an external URL from asExternalUri');
    assert.equal(status.publicUrl, publicUrl);
  });

  it('answers a POSTed VK confirmation with the right signature, and the event appears in Webhook Events', async () => {
    const { api } = await activateS3Hooks();
    const url = api.webhookListener.current.localUrl!;
    const r = await postJson(url + 'hooks/vk', confirmation, { 'X-Amz-Sns-Message-Type': 'SubscriptionConfirmation' });
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.text), { signature: confirmationSignature({ ...fields, url: publicUrl }) });

    const event = await waitFor('the event in the Webhook Events model', () => api.webhookEvents.events().find((e) => e.path === '/hooks/vk'));
    assert.equal(event.kind, 'vkConfirmation');
    assert.equal(event.signedUrl, publicUrl);
    assert.equal(api.webhookEvents.events()[0].id, event.id, 'newest first');
    await waitFor('the count in the status', () => api.webhookListener.current.count >= 1);

    // Open: the whole record as a read-only JSON document.
    const uri = await vscode.commands.executeCommand<string>(CommandIds.openWebhookEvent, { id: event.id });
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
    assert.ok(doc, 'the event document is open');
    const shown = JSON.parse(doc.getText()) as { id: string; body: { json: { Token: string } } };
    assert.equal(shown.id, event.id);
    assert.equal(shown.body.json.Token, confirmation.Token);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('Send Test Event, Replay, Copy as curl, Save as Fixture and Delete work on the events', async () => {
    const { api } = await activateS3Hooks();
    const sent = await vscode.commands.executeCommand<{ status: number; answer: string }>(CommandIds.sendTestEvent, { kind: 's3Records' });
    assert.equal(sent.status, 200);
    const s3 = await waitFor('the test S3 event', () => api.webhookEvents.events().find((e) => e.kind === 's3Records'));
    assert.equal(s3.fileReferences, 1);

    const replay = await vscode.commands.executeCommand<ReplayResult>(CommandIds.replayWebhookEvent, { id: s3.id }, { target: api.webhookListener.current.localUrl! + 'replayed' });
    assert.equal(replay.status, 200);
    const replayed = await waitFor('the replayed event', () => api.webhookEvents.events().find((e) => e.path === '/replayed'));
    assert.equal(replayed.headers['x-s3-hooks-replay-of'], s3.id);
    assert.equal(replayed.duplicateOf, s3.id, 'a replay is the same S3 event again');

    const curl = await vscode.commands.executeCommand<string>(CommandIds.copyWebhookEventAsCurl, { id: s3.id });
    assert.match(curl, /^curl -sS -i -X POST /);
    assert.equal(await vscode.env.clipboard.readText(), curl);

    const folder = join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'fixtures-from-listener');
    const saved = await vscode.commands.executeCommand<string>(CommandIds.saveWebhookEventAsFixture, { id: s3.id }, { folder });
    assert.ok(existsSync(saved));
    assert.equal(readFileSync(saved, 'utf8'), s3.body.text);

    assert.equal(await vscode.commands.executeCommand<boolean>(CommandIds.deleteWebhookEvent, { id: replayed.id }), true);
    await waitFor('the deleted event gone', () => !api.webhookEvents.events().some((e) => e.id === replayed.id));
  });

  describe('with a local SigV4-verifying S3', () => {
    let s3: LocalS3;
    before(async () => {
      s3 = await startLocalS3(['demo-bucket']);
      // Mocha runs this block after the outer tests, which stop the listener.
      await vscode.commands.executeCommand(CommandIds.startWebhookListener, { port: 0 });
    });
    after(async () => {
      await vscode.workspace.getConfiguration('s3Hooks').update('listener.autoFetch', undefined, vscode.ConfigurationTarget.Global);
      await vscode.workspace.getConfiguration('s3Hooks').update('listener.autoFetchHosts', undefined, vscode.ConfigurationTarget.Global);
      await vscode.workspace.getConfiguration('s3Hooks').update('listener.autoFetchMaxFileMegabytes', undefined, vscode.ConfigurationTarget.Global);
      await s3.close();
    });

    it('Fetch File downloads what an event points at into Recent Downloads', async () => {
      const { api } = await activateS3Hooks();
      const { url } = await demoResultUrl(s3.connection, 'demo-bucket');
      const r = await postJson(api.webhookListener.current.localUrl! + 'klavi/manual', sampleKlaviAnalysis(url));
      assert.equal(r.status, 200);
      const event = await waitFor('the Klavi event', () => api.webhookEvents.events().find((e) => e.path === '/klavi/manual'));
      assert.equal(event.kind, 'klavi');
      assert.equal(event.fileReferences, 1);
      const before = api.recentDownloads.list().length;
      await vscode.commands.executeCommand(CommandIds.fetchWebhookEventFile, { id: event.id });
      const entry = await waitFor('a finished download', () => (api.recentDownloads.list().length > before ? api.recentDownloads.list()[0] : undefined));
      await waitFor('the download to finish', () => api.recentDownloads.get(entry.id)?.status === 'done');
      const done = api.recentDownloads.get(entry.id)!;
      const content = JSON.parse(readFileSync(done.path!, 'utf8')) as { demo: boolean };
      assert.equal(content.demo, true);
    });

    it('Send Test Event makes a Klavi event with a live presigned URL into the demo bucket (.s3-hooks/demo.json), which Fetch File downloads', async () => {
      const { api } = await activateS3Hooks();
      const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
      const demoFile = join(folder, '.s3-hooks', 'demo.json');
      mkdirSync(dirname(demoFile), { recursive: true });
      writeFileSync(demoFile, JSON.stringify({ endpoint: s3.endpoint, region: 'us-east-1', bucket: 'demo-bucket', forcePathStyle: true }));
      await vscode.commands.executeCommand(CommandIds.setAccessKeys, { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });
      try {
        const sent = await vscode.commands.executeCommand<{ status: number; live: boolean }>(CommandIds.sendTestEvent, { kind: 'klaviAnalysis' });
        assert.equal(sent.status, 200);
        assert.equal(sent.live, true);
        const event = await waitFor('the test Klavi event', () => api.webhookEvents.events().find((e) => e.path === '/test/klavi'));
        assert.equal(event.kind, 'klavi');
        const before = api.recentDownloads.list().length;
        await vscode.commands.executeCommand(CommandIds.fetchWebhookEventFile, { id: event.id });
        const entry = await waitFor('the download', () => (api.recentDownloads.list().length > before ? api.recentDownloads.list()[0] : undefined));
        await waitFor('the download to finish', () => api.recentDownloads.get(entry.id)?.status === 'done');
        assert.equal((JSON.parse(readFileSync(api.recentDownloads.get(entry.id)!.path!, 'utf8')) as { demo: boolean }).demo, true);
      } finally {
        await vscode.commands.executeCommand(CommandIds.clearAccessKeys);
        rmSync(dirname(demoFile), { recursive: true, force: true });
      }
    });

    it('with auto-fetch on (a user setting: a workspace cannot turn it on), an event pointing at an allowed host is downloaded in the background', async () => {
      const { api } = await activateS3Hooks();
      const settings = vscode.workspace.getConfiguration('s3Hooks');
      await assert.rejects(Promise.resolve(settings.update('listener.autoFetch', true, vscode.ConfigurationTarget.Workspace)));
      // The local S3 listens on 127.0.0.1, which is not an AWS S3 host: the user allows it, as for any other S3 service.
      await settings.update('listener.autoFetchHosts', ['127.0.0.1'], vscode.ConfigurationTarget.Global);
      await settings.update('listener.autoFetch', true, vscode.ConfigurationTarget.Global);
      const { url, key } = await demoResultUrl(s3.connection, 'demo-bucket');
      const name = key.split('/').pop()!;
      const r = await postJson(api.webhookListener.current.localUrl! + 'klavi/auto', sampleKlaviAnalysis(url));
      assert.equal(r.status, 200);
      const entry = await waitFor('the auto-fetched download', () => api.recentDownloads.list().find((e) => e.fileName === name && e.status === 'done'), 20_000);
      assert.ok(existsSync(entry.path!));
    });

    it('auto-fetch stops a file over s3Hooks.listener.autoFetchMaxFileMegabytes that its event gives no size for, and leaves nothing of it', async () => {
      const { api } = await activateS3Hooks();
      const settings = vscode.workspace.getConfiguration('s3Hooks');
      await settings.update('listener.autoFetchHosts', ['127.0.0.1'], vscode.ConfigurationTarget.Global);
      await settings.update('listener.autoFetch', true, vscode.ConfigurationTarget.Global);
      // 0.01 MB is 10485 bytes; the object is 200 000, and the Klavi event says nothing of its size.
      await settings.update('listener.autoFetchMaxFileMegabytes', 0.01, vscode.ConfigurationTarget.Global);
      const key = `s3-hooks-demo/big-${randomUUID()}.bin`;
      const client = createS3Client(s3.connection);
      try {
        await client.send(new PutObjectCommand({ Bucket: 'demo-bucket', Key: key, Body: randomBytes(200_000) }));
      } finally {
        client.destroy();
      }
      const url = await presignObjectGet(s3.connection, { bucket: 'demo-bucket', key }, 600);
      const name = key.split('/').pop()!;
      const r = await postJson(api.webhookListener.current.localUrl! + 'klavi/too-big', sampleKlaviAnalysis(url));
      assert.equal(r.status, 200);
      const entry = await waitFor('the auto-fetch to end', () => api.recentDownloads.list().find((e) => e.fileName === name && e.status !== 'inProgress'), 20_000);
      assert.equal(entry.status, 'failed');
      assert.match(entry.message ?? '', /over the limit of 10485 bytes/);
      const fetched = join(dirname(api.webhookListener.history.file), 'fetched');
      const left = existsSync(fetched) ? readdirSync(fetched, { recursive: true }).map(String).filter((f) => f.includes(name)) : [];
      assert.deepEqual(left, [], 'no file and no .part of it');
    });
  });

  it('Compute and Verify Confirmation Signature take arguments instead of asking', async () => {
    const answer = await vscode.commands.executeCommand<string>(CommandIds.computeConfirmationSignature, {
      url: 'https://example.com/',
      json: JSON.stringify(confirmation),
    });
    assert.equal(answer, JSON.stringify({ signature: '445cb971bfdbcdc5a093398ec1dec8166b09884407e9a394b65eb28290b2598c' }));
    assert.equal(await vscode.env.clipboard.readText(), answer);
    const ok = await vscode.commands.executeCommand<boolean>(CommandIds.verifyConfirmationSignature, {
      url: 'https://example.com/',
      fields,
      signature: answer,
    });
    assert.equal(ok, true);
    const wrong = await vscode.commands.executeCommand<boolean>(CommandIds.verifyConfirmationSignature, {
      url: 'https://example.com',
      fields,
      signature: answer,
    });
    assert.equal(wrong, false);
  });

  it('stop returns the status to off and frees the port', async () => {
    const { api } = await activateS3Hooks();
    const port = Number(new URL(api.webhookListener.current.localUrl!).port);
    await vscode.commands.executeCommand(CommandIds.stopWebhookListener);
    assert.equal(api.webhookListener.current.state, 'off');
    const probe = http.createServer();
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => probe.close(resolve));
  });

  it('a taken port is the error state with a message that says what to do', async () => {
    const { api } = await activateS3Hooks();
    const blocker = http.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const url = await vscode.commands.executeCommand<string | undefined>(CommandIds.startWebhookListener, { port });
      assert.equal(url, undefined);
      const status = api.webhookListener.current;
      assert.equal(status.state, 'error');
      assert.match(status.error ?? '', new RegExp(`Port ${port} on 127.0.0.1 is already in use.*s3Hooks\\.listener\\.port`));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
      await vscode.commands.executeCommand(CommandIds.stopWebhookListener);
    }
    assert.equal(api.webhookListener.current.state, 'off');
  });
});
