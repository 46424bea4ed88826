import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { CommandIds } from '../../src/commandIds';
import { confirmationSignature } from '../../src/core/confirmation/signature';
import type { AppAnswer } from '../../src/core/forward';
import type { WebhookEvent } from '../../src/core/listener/webhookEvent';
import { postJson } from '../support/httpClient';
import { waitFor as waitForValue } from '../support/waitFor';
import { activateS3Hooks } from './extensionUnderTest';

/** A condition the extension meets on its own time (a forward ends after the provider's answer). */
const waitFor = <T>(what: string, probe: () => T | undefined | false): Promise<T> => waitForValue(() => probe() || undefined, 15_000, what);
import { vkConfirmation, vkConfirmationFields } from '../support/vkConfirmation';

// Testing a webhook handler from the editor: the listener forwards to a real HTTP server started here
// (the "app"), proxies its answers, checks a VK confirmation answer, runs a tunnel stand-in (a program
// that prints what cloudflared prints; machines here have no internet), and the view filters.

const confirmation = vkConfirmation;
const fields = vkConfirmationFields;
const standIns = join(__dirname, '..', '..', '..', 'test', 'support', 'tunnels');

describe('Testing a webhook handler in a real VS Code', function () {
  this.timeout(60_000);
  let app: http.Server;
  let appUrl: string;
  const received: { url: string; sha256: string }[] = [];
  /** What the app answers a VK confirmation with: deliberately wrong, to be flagged. */
  const wrongSignature = '{"signature":"deadbeef"}';

  before(async () => {
    app = http.createServer((req, res) => {
      const hash = createHash('sha256');
      let body = '';
      req.on('data', (c: Buffer) => {
        hash.update(c);
        body += c.toString();
      });
      req.on('end', () => {
        received.push({ url: req.url ?? '', sha256: hash.digest('hex') });
        const isConfirmation = body.includes('SubscriptionConfirmation');
        res.writeHead(isConfirmation ? 200 : 201, { 'Content-Type': 'application/json', 'X-App': 'under-test' });
        res.end(isConfirmation ? wrongSignature : '{"handled":true}');
      });
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/app`;
  });

  after(async () => {
    await vscode.commands.executeCommand(CommandIds.stopWebhookListener);
    await vscode.commands.executeCommand(CommandIds.clearWebhookEventsFilter);
    await new Promise<void>((resolve) => app.close(() => resolve()));
  });

  it('store mode: the event is forwarded byte for byte and the app\'s answer is recorded on it', async () => {
    const { api } = await activateS3Hooks();
    await vscode.commands.executeCommand(CommandIds.stopWebhookListener);
    const url = await vscode.commands.executeCommand<string>(CommandIds.startWebhookListener, { port: 0, forwardTo: appUrl, answerMode: 'store' });
    assert.equal(api.webhookListener.current.forwardTo, appUrl);
    const body = { Records: [{ s3: { bucket: { name: 'b' }, object: { key: 'handler-test.wav', sequencer: 'h1' } } }] };
    const r = await postJson(`${url}hooks/s3`, body);
    assert.equal(r.status, 200, 'the listener answers in store mode');
    const event = await waitFor('the app\'s answer on the event', () => api.webhookEvents.events().find((e) => e.path === '/hooks/s3' && e.forward));
    assert.equal(event.forward?.status, 201);
    assert.equal(event.forward?.target, `${appUrl}/hooks/s3`);
    assert.equal(received.find((x) => x.url === '/app/hooks/s3')?.sha256, createHash('sha256').update(JSON.stringify(body)).digest('hex'));

    const again = await vscode.commands.executeCommand<AppAnswer>(CommandIds.forwardWebhookEventAgain, { id: event.id }, { target: `${appUrl}/again` });
    assert.equal(again.status, 201);
    assert.equal(received.filter((x) => x.url === '/app/again').length, 1);
  });

  it('proxy mode: the provider gets the app\'s answer, and a wrong confirmation answer is flagged with the expected signature', async () => {
    const { api } = await activateS3Hooks();
    await vscode.commands.executeCommand(CommandIds.stopWebhookListener);
    const publicUrl = 'https://handler.example.net';
    const url = await vscode.commands.executeCommand<string>(CommandIds.startWebhookListener, { port: 0, publicUrl, forwardTo: appUrl, answerMode: 'proxy' });
    const r = await postJson(`${url}hooks/vk`, confirmation);
    assert.equal(r.text, wrongSignature, 'the provider got what the app answered');
    assert.equal(r.headers['x-app'], 'under-test');
    const event = await waitFor('the confirmation check', () => api.webhookEvents.events().find((e) => e.path === '/hooks/vk' && e.appConfirmation));
    const expected = confirmationSignature({ ...fields, url: `${publicUrl}/hooks/vk` });
    assert.deepEqual(event.appConfirmation, { expected, answered: 'deadbeef', correct: false });
    assert.equal(event.proxied, true);
  });

  it('a tunnel stand-in\'s URL becomes the public URL and signs the confirmation; it stops with the listener', async () => {
    const { api } = await activateS3Hooks();
    await vscode.commands.executeCommand(CommandIds.stopWebhookListener);
    await vscode.commands.executeCommand<string>(CommandIds.startWebhookListener, { port: 0 });
    const publicUrl = await vscode.commands.executeCommand<string>(CommandIds.startPublicTunnel, { program: 'cloudflared', programPath: join(standIns, 'cloudflared.js') });
    assert.equal(publicUrl, 'https://gentle-river-quiet-harbor.trycloudflare.com');
    const status = api.webhookListener.current;
    assert.equal(status.tunnelUrl, publicUrl);
    assert.equal(status.publicUrl, publicUrl);
    const r = await postJson(`${status.localUrl!}hooks/vk`, confirmation);
    assert.deepEqual(JSON.parse(r.text), { signature: confirmationSignature({ ...fields, url: `${publicUrl}/hooks/vk` }) });
    assert.equal(await vscode.commands.executeCommand<string>(CommandIds.copyPublicUrl), publicUrl);
    assert.equal(await vscode.env.clipboard.readText(), publicUrl);
    await vscode.commands.executeCommand(CommandIds.stopWebhookListener);
    assert.equal(api.webhookListener.current.tunnelUrl, undefined, 'the tunnel stopped with the listener');
  });

  it('the filter narrows the events, and Compare with Previous opens a diff of two bodies', async () => {
    const { api } = await activateS3Hooks();
    const all = api.webhookEvents.events().length;
    const filtered = await vscode.commands.executeCommand<unknown>(CommandIds.filterWebhookEvents, { query: 'kind:vkConfirmation path:/hooks/*' });
    assert.ok(filtered);
    const shown = api.webhookEvents.events();
    assert.ok(shown.length > 0 && shown.length < all, `${shown.length} of ${all} shown`);
    assert.ok(shown.every((e: WebhookEvent) => e.kind === 'vkConfirmation' && e.path.startsWith('/hooks/')));
    const result = await vscode.commands.executeCommand<{ left: string; right: string }>(CommandIds.compareWebhookEventWithPrevious, { id: shown[0].id });
    assert.equal(result.right, shown[0].id);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, 'a diff editor is open');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.commands.executeCommand(CommandIds.clearWebhookEventsFilter);
    assert.equal(api.webhookEvents.events().length, all);
  });
});
