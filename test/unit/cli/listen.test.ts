import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as http from 'node:http';
import { reachableUrls } from '../../../src/core/listener/reachableAt';
import { waitFor } from '../../support/waitFor';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../../src/cli/main';
import { confirmationSignature } from '../../../src/core/confirmation/signature';
import { EventHistory } from '../../../src/core/listener/eventHistory';
import { demoResultUrl, sampleKlaviAnalysis, sampleS3Records } from '../../../src/core/listener/sampleEvents';
import { startLocalS3 } from '../../support/localS3';
import { httpRequest, postJson } from '../../support/httpClient';
import { vkConfirmation as confirmation, vkConfirmationFields as fields } from '../../support/vkConfirmation';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');


/** Runs the CLI in-process with captured streams. */
async function runCli(args: string[], stdinText?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const stdin = stdinText === undefined ? Object.assign(Readable.from([]), { isTTY: true }) : Readable.from([Buffer.from(stdinText)]);
  const code = await main(args, { stdout, stderr, stdin, env: {} });
  return { code, stdout: out, stderr: err };
}

/** Starts `s3-hooks listen` as a real process and waits for the URL it prints on stderr. */
async function spawnListen(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ child: ChildProcess; url: string; stdout: () => string; stderr: () => string }> {
  const child = spawn(process.execPath, [cli, 'listen', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL on stderr: ${err}`)), 10_000);
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
      const m = /Listening on (http:\/\/\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`listen exited with ${code}: ${err}`)));
  });
  return { child, url, stdout: () => out, stderr: () => err };
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('CLI: sign, verify, listen', function () {
  this.timeout(60_000);
  let dir: string;
  const children: ChildProcess[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 's3hooks-cli-'));
  });
  afterEach(async () => {
    for (const c of children.splice(0)) {
      if (c.exitCode === null && c.signalCode === null) {
        c.kill('SIGKILL');
        await exited(c);
      }
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('sign with the four fields prints the hex signature', async () => {
    const r = await runCli(['sign', '--url', 'https://example.com/', '--topic-arn', fields.topicArn, '--timestamp', fields.timestamp, '--token', fields.token]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '445cb971bfdbcdc5a093398ec1dec8166b09884407e9a394b65eb28290b2598c\n');
  });

  it('sign with a confirmation on stdin or --event prints the answer body', async () => {
    const expected = `${JSON.stringify({ signature: confirmationSignature({ ...fields, url: 'https://h.example/vk' }) })}\n`;
    const r = await runCli(['sign', '--url', 'https://h.example/vk'], JSON.stringify(confirmation));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, expected);
    const file = join(dir, 'c.json');
    await writeFile(file, JSON.stringify(confirmation));
    const r2 = await runCli(['sign', '--url', 'https://h.example/vk', '--event', file]);
    assert.equal(r2.stdout, expected);
  });

  it('sign reports bad input and usage clearly', async () => {
    const bad = await runCli(['sign', '--url', 'u'], '{"Token": "x",}');
    assert.equal(bad.code, 3);
    assert.match(bad.stderr, /standard input: Malformed JSON at line 1/);
    const notConfirmation = await runCli(['sign', '--url', 'u'], '{"eventId": "x"}');
    assert.equal(notConfirmation.code, 3);
    assert.match(notConfirmation.stderr, /not a subscription confirmation: it has no string TopicArn, Timestamp, Token/);
    const noUrl = await runCli(['sign', '--token', 'x']);
    assert.equal(noUrl.code, 2);
    const tty = await runCli(['sign', '--url', 'u']);
    assert.equal(tty.code, 2, 'does not wait on a terminal for JSON');
    const partial = await runCli(['sign', '--url', 'u', '--token', 'x']);
    assert.equal(partial.code, 2);
    assert.match(partial.stderr, /go together/);
  });

  it('verify exits 0 on a match and 7 (mismatch) otherwise', async () => {
    const sig = confirmationSignature({ ...fields, url: 'https://h.example/vk' });
    const ok = await runCli(['verify', '--url', 'https://h.example/vk', '--signature', sig], JSON.stringify(confirmation));
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /signature matches/);
    const answer = await runCli(['verify', '--url', 'https://h.example/vk', '--signature', JSON.stringify({ signature: sig }), '--topic-arn', fields.topicArn, '--timestamp', fields.timestamp, '--token', fields.token]);
    assert.equal(answer.code, 0);
    const wrongUrl = await runCli(['verify', '--url', 'https://h.example/vk/', '--signature', sig], JSON.stringify(confirmation));
    assert.equal(wrongUrl.code, 7);
    assert.match(wrongUrl.stdout, /does not match/);
    const notHex = await runCli(['verify', '--url', 'u', '--signature', 'xyz'], JSON.stringify(confirmation));
    assert.equal(notHex.code, 3);
  });

  describe('listen (the built dist/cli.js as a real process)', () => {
    before(() => {
      assert.ok(existsSync(cli), 'dist/cli.js is missing: run `npm run build` first');
    });

    it('prints the bound URL on stderr and one line per event on stdout, answers a confirmation over --public-url, and stops cleanly on SIGINT and SIGTERM with the history flushed', async () => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        const history = join(dir, `${signal}.jsonl`);
        const p = await spawnListen(['--port', '0', '--history', history, '--public-url', 'https://tunnel.example/vk']);
        children.push(p.child);
        assert.match(p.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
        const r = await postJson(p.url + 'vk', confirmation);
        assert.deepEqual(JSON.parse(r.text), { signature: confirmationSignature({ ...fields, url: 'https://tunnel.example/vk' }) });
        await postJson(p.url + 'other', { eventId: 'e1', eventType: 'analysis', payload: {} });
        p.child.kill(signal);
        const { code } = await exited(p.child);
        assert.equal(code, 0, p.stderr());
        const lines = p.stdout().trim().split('\n');
        assert.equal(lines.length, 2);
        assert.match(lines[0], / 200 POST \/vk vkConfirmation "SubscriptionConfirmation" /);
        assert.match(lines[1], / 200 POST \/other klavi /);
        assert.match(p.stderr(), /Stopped after 2 events; history flushed/);
        const h = new EventHistory({ file: history, cap: 100 });
        assert.equal((await h.load()).loaded, 2);
        await h.close();
      }
    });

    it('--fetch downloads what events point at: a Klavi presigned URL and an S3 object (local SigV4-verifying S3)', async () => {
      const s3 = await startLocalS3(['demo-bucket']);
      try {
        const { url: presigned, key } = await demoResultUrl(s3.connection, 'demo-bucket');
        const out = join(dir, 'downloads');
        const env = { ...process.env, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_PROFILE: '', AWS_SESSION_TOKEN: '' };
        const p = await spawnListen(['--port', '0', '--history', join(dir, 'f.jsonl'), '--fetch', out, '--fetch-bucket', 'demo-bucket', '--endpoint', s3.endpoint, '--path-style'], env);
        children.push(p.child);
        const klavi = sampleKlaviAnalysis(presigned);
        assert.equal((await postJson(p.url + 'klavi', klavi)).status, 200);
        assert.equal((await postJson(p.url + 's3', sampleS3Records('demo-bucket', key))).status, 200);
        // A bucket not listed, or a host not allowed, is stored but not fetched: the event's sender chose them.
        assert.equal((await postJson(p.url + 's3-other', sampleS3Records('other-bucket', key))).status, 200);
        assert.equal((await postJson(p.url + 'elsewhere', sampleKlaviAnalysis('http://169.254.169.254/latest/meta-data/x.json'))).status, 200);
        // A redelivery of the Klavi event is stored, but its file is not fetched twice.
        assert.equal((await postJson(p.url + 'klavi', klavi)).status, 200);
        // Waits for every line asserted below: the refusals are written after the fetches, and a line the child wrote
        // may still be in the pipe when the last answer arrives.
        const expected = [
          /not fetching what event \S+ points at: a redelivery of /,
          /not fetching .* bucket other-bucket is not on the auto-fetch bucket list/,
          /not fetching .* 169\.254\.169\.254 is not on the auto-fetch host list/,
        ];
        const deadline = Date.now() + 20_000;
        const done = (): boolean => (p.stderr().match(/^fetched /gm) ?? []).length >= 2 && expected.every((line) => line.test(p.stderr()));
        while (!done() && Date.now() < deadline && !/failed/.test(p.stderr())) {
          await new Promise((r) => setTimeout(r, 50));
        }
        assert.equal((p.stderr().match(/^fetched /gm) ?? []).length, 2, p.stderr());
        for (const line of expected) {
          assert.match(p.stderr(), line);
        }
        const files = (await readdir(out)).sort();
        assert.equal(files.length, 2, files.join(', '));
        for (const f of files) {
          const content = JSON.parse(await readFile(join(out, f), 'utf8')) as { demo: boolean };
          assert.equal(content.demo, true);
        }
        p.child.kill('SIGTERM');
        assert.equal((await exited(p.child)).code, 0);
      } finally {
        await s3.close();
      }
    });

    it('a taken port is a clear error and a non-zero exit', async () => {
      const first = await spawnListen(['--port', '0', '--history', join(dir, 'a.jsonl')]);
      children.push(first.child);
      const port = new URL(first.url).port;
      const second = spawn(process.execPath, [cli, 'listen', '--port', port, '--history', join(dir, 'b.jsonl')], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(second);
      let err = '';
      second.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const { code } = await exited(second);
      assert.equal(code, 1);
      assert.match(err, new RegExp(`Port ${port} on 127.0.0.1 is already in use`));
    });

    it('--host other than loopback prints every address it is reachable at and a warning', async () => {
      const p = await spawnListen(['--port', '0', '--host', '0.0.0.0', '--history', join(dir, 'wide.jsonl')]);
      children.push(p.child);
      const port = new URL(p.url).port;
      const expected = reachableUrls('0.0.0.0', Number(port), networkInterfaces());
      await waitFor(() => (p.stderr().includes('warning:') ? true : undefined), 5000, 'the warning');
      assert.match(p.stderr(), /warning: .*not only from this computer/);
      for (const url of expected) {
        assert.ok(p.stderr().includes(url), `${url} not printed: ${p.stderr()}`);
      }
    });

    it('kill -9 in the middle of a load loses no event that was answered 2xx', async () => {
      const history = join(dir, 'kill.jsonl');
      const p = await spawnListen(['--port', '0', '--history', history]);
      children.push(p.child);
      const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
      const acknowledged = new Set<string>();
      let sent = 0;
      let failed = 0;
      let killed = false;
      const worker = async (): Promise<void> => {
        while (!killed) {
          const n = sent++;
          try {
            const r = await httpRequest(p.url + `load/${n}`, {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({ eventId: `load-${n}`, eventType: 'analysis', payload: { n } }),
              agent,
            });
            if (r.status >= 200 && r.status < 300) {
              acknowledged.add((JSON.parse(r.text) as { received: string }).received);
            }
          } catch {
            failed++;
          }
        }
      };
      const workers = Array.from({ length: 50 }, () => worker());
      while (acknowledged.size < 1500) {
        await new Promise((r) => setTimeout(r, 10));
      }
      p.child.kill('SIGKILL');
      killed = true;
      await exited(p.child);
      await Promise.all(workers);
      agent.destroy();

      const h = new EventHistory({ file: history, cap: 1_000_000 });
      const { skipped } = await h.load();
      const stored = new Set(h.all().map((e) => e.id));
      const lost = [...acknowledged].filter((id) => !stored.has(id));
      assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.size} acknowledged events are missing`);
      assert.ok(skipped.length <= 1, 'at most the torn last line');
      assert.ok(failed > 0 || stored.size >= acknowledged.size);
      await h.close();
    });
  });
});
