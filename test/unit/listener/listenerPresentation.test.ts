import * as assert from 'node:assert/strict';
import { handlerTestingLines, reachabilityNote } from '../../../src/listener/listenerPresentation';

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
