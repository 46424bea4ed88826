import * as assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { findOnPath, parseTunnelSpec, readTunnelLine, startTunnel, TunnelError, tunnelLaunch, type RunningTunnel } from '../../../../src/core/tunnel';
import { rejectionOf } from '../../../support/rejection';

const standIns = join(__dirname, '..', '..', '..', 'support', 'tunnels');

/** A folder on PATH holding `cloudflared` and `ngrok`: the stand-ins under their real names. */
async function binFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 's3hooks-tunnel-bin-'));
  await symlink(join(standIns, 'cloudflared.js'), join(dir, 'cloudflared'));
  await symlink(join(standIns, 'ngrok.js'), join(dir, 'ngrok'));
  return dir;
}

function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) {
    return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('tunnel programs', () => {
  let bin: string;
  let env: NodeJS.ProcessEnv;
  const running: RunningTunnel[] = [];

  before(async () => {
    bin = await binFolder();
    env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` };
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((t) => t.stop()));
  });
  after(async () => {
    await rm(bin, { recursive: true, force: true });
  });

  it('reads the quick tunnel URL from the box, not the terms or documentation links cloudflared prints first', async () => {
    const lines: string[] = [];
    const tunnel = await startTunnel({ spec: parseTunnelSpec('cloudflared'), port: 8765, env, output: (l) => lines.push(l) });
    running.push(tunnel);
    assert.equal(tunnel.publicUrl, 'https://gentle-river-quiet-harbor.trycloudflare.com');
    assert.ok(lines.some((l) => l.includes('https://www.cloudflare.com/website-terms/')), 'the output reaches the log sink');
  });

  it('starts cloudflared with --url for the listener port and stops it (the process is gone)', async () => {
    const launch = tunnelLaunch({ kind: 'cloudflared' }, 4321, { env });
    assert.deepEqual(launch.args, ['tunnel', '--no-autoupdate', '--url', 'http://127.0.0.1:4321']);
    assert.equal(launch.program, join(bin, 'cloudflared'));
    const tunnel = await startTunnel({ spec: { kind: 'cloudflared' }, port: 4321, env });
    assert.ok(isAlive(tunnel.pid));
    await tunnel.stop();
    assert.equal(isAlive(tunnel.pid), false);
  });

  it('reads ngrok\'s URL from its JSON log', async () => {
    const tunnel = await startTunnel({ spec: { kind: 'ngrok' }, port: 8765, env });
    running.push(tunnel);
    assert.equal(tunnel.publicUrl, 'https://84c5df439d74.ngrok-free.app');
  });

  it('asks ngrok\'s local API when the log does not name the tunnel', async () => {
    const tunnel = await startTunnel({ spec: { kind: 'ngrok' }, port: 8765, env: { ...env, S3HOOKS_STANDIN_MODE: 'api-only', S3HOOKS_STANDIN_HOST: 'api-only.ngrok-free.app' } });
    running.push(tunnel);
    assert.equal(tunnel.publicUrl, 'https://api-only.ngrok-free.app');
  });

  it('says to add the authtoken when ngrok exits without one', async () => {
    const err = await rejectionOf(startTunnel({ spec: { kind: 'ngrok' }, port: 8765, env: { ...env, S3HOOKS_STANDIN_MODE: 'no-authtoken' } }), TunnelError);
    assert.match(err.message, /exited \(code 1\)/);
    assert.match(err.message, /ngrok config add-authtoken/);
  });

  it('says cloudflared needs the internet when it cannot get a quick tunnel', async () => {
    const err = await rejectionOf(startTunnel({ spec: { kind: 'cloudflared' }, port: 8765, env: { ...env, S3HOOKS_STANDIN_MODE: 'no-network' } }), TunnelError);
    assert.match(err.message, /reach the internet/);
  });

  it('runs the user\'s command line with ${port} and takes the tunnel line, not the banner\'s links', async () => {
    const spec = parseTunnelSpec(`${JSON.stringify(process.execPath)} ${JSON.stringify(join(standIns, 'localhostRun.js'))} -R 80:127.0.0.1:\${port} nokey@localhost.run`);
    assert.equal(spec.kind, 'command');
    const tunnel = await startTunnel({ spec, port: 8765, env });
    running.push(tunnel);
    assert.equal(tunnel.publicUrl, 'https://5a3c9e1f2b7d40.lhr.life');
    assert.match(tunnel.label, /-R 80:127\.0\.0\.1:8765 /);
    await tunnel.stop();
    assert.equal(isAlive(tunnel.pid), false);
  });

  it('fails with the program\'s last lines when a command prints no URL in time', async () => {
    const spec = parseTunnelSpec(`${JSON.stringify(process.execPath)} -e "console.log('listening on \${port}'); setInterval(() => {}, 1000)"`);
    const err = await rejectionOf(startTunnel({ spec, port: 9999, env, timeoutMs: 500 }), TunnelError);
    assert.match(err.message, /printed no public https URL within 1 s/);
    assert.match(err.message, /listening on 9999/);
  });

  it('reports when a tunnel exits by itself after announcing its URL', async () => {
    const script = join(bin, 'short-lived.js');
    await writeFile(script, "console.log('https://short.example-tunnel.net ready'); setTimeout(() => process.exit(3), 100);\n");
    const tunnel = await startTunnel({ spec: parseTunnelSpec(`${JSON.stringify(process.execPath)} ${JSON.stringify(script)} \${port}`), port: 1, env });
    running.push(tunnel);
    assert.equal(tunnel.publicUrl, 'https://short.example-tunnel.net');
    const code = await new Promise<number | null>((resolve) => tunnel.onExit((c) => resolve(c)));
    assert.equal(code, 3);
  });

  it('says how to install a program that is not on PATH, and refuses a programPath that is not executable', async () => {
    const empty = { PATH: join(bin, 'nothing-here') };
    assert.equal(findOnPath('cloudflared', empty), undefined);
    assert.throws(() => tunnelLaunch({ kind: 'cloudflared' }, 1, { env: empty }), /cloudflared is not on your PATH\. Install cloudflared .*developers\.cloudflare\.com/);
    assert.throws(() => tunnelLaunch({ kind: 'ngrok' }, 1, { env: empty }), /ngrok is not on your PATH\. Install ngrok from https:\/\/ngrok\.com\/download/);
    const notExecutable = join(bin, 'plain.txt');
    await writeFile(notExecutable, 'x');
    await chmod(notExecutable, 0o644);
    assert.throws(() => tunnelLaunch({ kind: 'ngrok' }, 1, { programPath: notExecutable }), /not an executable file/);
    assert.equal(tunnelLaunch({ kind: 'ngrok' }, 1, { programPath: join(bin, 'ngrok') }).program, join(bin, 'ngrok'));
  });

  it('refuses a tunnel choice that is neither a known program nor a command with ${port}', () => {
    assert.throws(() => parseTunnelSpec('ssh -R 80:localhost:8765 nokey@localhost.run'), /\$\{port\}/);
    assert.deepEqual(parseTunnelSpec(' ngrok '), { kind: 'ngrok' });
  });
});

describe('tunnel output lines', () => {
  it('ignores cloudflared\'s terms and documentation links and its box frame', () => {
    assert.equal(
      readTunnelLine('cloudflared', '2025-11-20T10:00:00Z INF Thank you … (https://www.cloudflare.com/website-terms/) … following: https://developers.cloudflare.com/cloudflare-one/connections/connect-networks'),
      undefined,
    );
    assert.equal(readTunnelLine('command', '2025-11-20T10:00:00Z INF See https://developers.cloudflare.com/'), undefined);
    assert.equal(readTunnelLine('cloudflared', `2025-11-20T10:00:01Z INF +${'-'.repeat(92)}+`), undefined);
  });

  it('takes an origin from an https URL a custom command prints, and ignores plain http', () => {
    assert.deepEqual(readTunnelLine('command', 'Forwarding https://abc.example.net -> http://localhost:8765'), { publicUrl: 'https://abc.example.net' });
    assert.equal(readTunnelLine('command', 'Forwarding http://abc.example.net'), undefined);
  });
});
