import * as assert from 'node:assert/strict';
import { CommandIds } from '../../../src/commandIds';
import { handlerTestingLines, reachabilityNote, statusBarView } from '../../../src/listener/listenerPresentation';
import { ListenerState } from '../../../src/listener/listenerStatus';

const commands = { startTunnel: 's3Hooks.startPublicTunnel', stopTunnel: 's3Hooks.stopPublicTunnel', copyPublicUrl: 's3Hooks.copyPublicUrl' };

describe('listener tooltip: reachability and forwarding', () => {
  it('says a loopback-only listener cannot be reached, and offers the tunnel', () => {
    const lines = handlerTestingLines({ localUrl: 'http://127.0.0.1:8765/', externalUrl: 'http://127.0.0.1:8765/' }, commands);
    assert.match(lines[0], /Only this computer can reach it/);
    assert.equal(lines[1], '[Start Public Tunnel](command:s3Hooks.startPublicTunnel)');
  });

  it('in a remote window, names the forwarded address and says it is private until made public', () => {
    const note = reachabilityNote({ localUrl: 'http://127.0.0.1:8765/', externalUrl: 'https://abc-8765.app.github.dev/', remoteName: 'codespaces' });
    assert.match(note, /^Remote window \(codespaces\): VS Code forwards the port to https:\/\/abc-8765\.app\.github\.dev\/, which is private to you/);
  });

  it('with a tunnel, gives its URL, Copy and Stop; names where events are forwarded', () => {
    const lines = handlerTestingLines(
      { localUrl: 'http://127.0.0.1:8765/', tunnelUrl: 'https://a-b-c.trycloudflare.com', tunnelLabel: 'cloudflared', forwardTo: 'http://localhost:3000/hooks', answerMode: 'proxy' },
      commands,
    );
    assert.deepEqual(lines, [
      'Providers reach it at https://a-b-c.trycloudflare.com (public tunnel: cloudflared).',
      '[Copy Public URL](command:s3Hooks.copyPublicUrl) · [Stop Public Tunnel](command:s3Hooks.stopPublicTunnel)',
      'Forwarding to `http://localhost:3000/hooks` (proxy: your app answers the provider)',
    ]);
  });
});

describe('listener status bar item', () => {
  it('off: says so, and a click starts the listener', () => {
    assert.deepEqual(statusBarView({ state: ListenerState.Off, count: 0 }), {
      text: '$(radio-tower) Webhooks: off',
      tooltip: 'S3 Hooks webhook listener is off. Click to start it.',
      command: CommandIds.startWebhookListener,
      errorBackground: false,
      accessibility: { label: 'Webhook listener is off. Activate to start it.', role: 'button' },
    });
  });

  it('starting: spins, and a click does nothing', () => {
    const view = statusBarView({ state: ListenerState.Starting, count: 0 });
    assert.equal(view.text, '$(loading~spin) Webhooks: starting');
    assert.equal(view.command, undefined);
    assert.deepEqual(view.accessibility, { label: 'Webhook listener is starting' });
  });

  it('listening: port and count in the text; the tooltip names the URLs and trusts only the tunnel commands', () => {
    const view = statusBarView({
      state: ListenerState.Listening,
      localUrl: 'http://127.0.0.1:8765/',
      externalUrl: 'https://abc-8765.app.github.dev/',
      publicUrl: 'https://hooks.example.com/',
      count: 3,
    });
    assert.equal(view.text, '$(radio-tower) Listening :8765 · 3');
    assert.equal(view.command, CommandIds.showWebhookListenerMenu);
    assert.equal(view.accessibility.label, 'Webhook listener listening on port 8765, 3 events. Activate for actions.');
    assert.ok(typeof view.tooltip !== 'string');
    const text = view.tooltip.parts.map((p) => ('markdown' in p ? p.markdown : p.text)).join('');
    assert.match(text, /^\*\*S3 Hooks webhook listener\*\*\n\nLocal URL: `http:\/\/127\.0\.0\.1:8765\/`\n\nExternal URL: `https:\/\/abc-8765\.app\.github\.dev\/`\n\n/);
    assert.match(text, /Confirmations signed over: `https:\/\/hooks\.example\.com\/`/);
    assert.match(text, /\[Start Public Tunnel\]\(command:s3Hooks\.startPublicTunnel\)/);
    assert.match(text, /Events: 3 · last: none yet\n\nClick for actions/);
    assert.deepEqual(view.tooltip.trustedCommands.sort(), [CommandIds.copyPublicUrl, CommandIds.startPublicTunnel, CommandIds.stopPublicTunnel].sort());
  });

  it('listening without a public URL or a forwarded address says what confirmations are signed over', () => {
    const view = statusBarView({ state: ListenerState.Listening, localUrl: 'http://127.0.0.1:8765/', externalUrl: 'http://127.0.0.1:8765/', count: 0, lastEventAt: '2026-12-01T10:20:30.000Z' });
    assert.ok(typeof view.tooltip !== 'string');
    const text = view.tooltip.parts.map((p) => ('markdown' in p ? p.markdown : p.text)).join('');
    assert.doesNotMatch(text, /External URL/);
    assert.match(text, /No public URL set: confirmations are signed over the URL each request arrives at\./);
    assert.match(text, /Events: 0 · last: (?!none yet)\S/);
  });

  it('error: says what went wrong on a red background, and a click tries again', () => {
    const view = statusBarView({ state: ListenerState.Error, count: 0, error: 'listen EADDRINUSE 127.0.0.1:8765' });
    assert.equal(view.text, '$(error) Webhooks: error');
    assert.equal(view.tooltip, 'listen EADDRINUSE 127.0.0.1:8765\n\nClick to try again.');
    assert.equal(view.command, CommandIds.startWebhookListener);
    assert.equal(view.errorBackground, true);
    assert.deepEqual(view.accessibility, { label: 'Webhook listener error: listen EADDRINUSE 127.0.0.1:8765. Activate to try again.', role: 'button' });
  });

  it('error: a message that ends its own sentence is read with one full stop, and a missing one still says what happened', () => {
    const sentence = statusBarView({ state: ListenerState.Error, count: 0, error: 'Port 8765 is in use by another program. Pick another port in s3Hooks.listener.port.' });
    assert.equal(sentence.accessibility.label, 'Webhook listener error: Port 8765 is in use by another program. Pick another port in s3Hooks.listener.port. Activate to try again.');
    const none = statusBarView({ state: ListenerState.Error, count: 0 });
    assert.equal(none.accessibility.label, 'Webhook listener error: it could not start. Activate to try again.');
  });
});
