import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFaultServer, type FaultServer } from '../../../support/faultServer';
import { runOnSmallDisk } from '../../../support/smallDisk';

const root = join(__dirname, '..', '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');
const downloadOnce = join(root, 'test', 'support', 'downloadOnce.ts');

describe('a fetch onto a full or read-only disk (built dist/cli.js, a real 1 MiB tmpfs)', () => {
  let server: FaultServer;
  let folder: string;
  const body = randomBytes(3 * 1024 * 1024);

  before(async () => {
    assert.ok(existsSync(cli), 'dist/cli.js is missing: run `npm run build` first');
    server = await startFaultServer({ body, etag: '"e1"' });
  });
  after(async () => {
    await server?.close();
  });
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 's3-hooks-small-disk-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('s3-hooks fetch exits non-zero with a one-line reason when the disk fills, and leaves no file', async () => {
    const run = await runOnSmallDisk(folder, { size: '1m' }, [process.execPath, cli, 'fetch', server.url('/big.bin'), '--out', folder, '--retries', '0']);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stdout, '', 'no path printed');
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0], /^s3-hooks fetch: big\.bin: Cannot write .*big\.bin\.part: ENOSPC: no space left on device.*The disk is full/);
    assert.doesNotMatch(lines[0], /ENOSPC: ENOSPC/);
    assert.deepEqual(run.left, [], 'nothing left in place');
  });

  it('s3-hooks fetch onto a read-only disk exits non-zero with a one-line reason', async () => {
    const run = await runOnSmallDisk(folder, { size: '1m', readOnly: true }, [process.execPath, cli, 'fetch', server.url('/big.bin'), '--out', folder]);
    assert.equal(run.code, 1, run.stderr);
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0], /Cannot write a file in .*: EROFS: read-only file system.*cannot be written/);
    assert.doesNotMatch(lines[0], /EROFS: EROFS/);
    assert.deepEqual(run.left, []);
  });

  it("the extension's pooled writer fails the same way (no paused socket left waiting)", async () => {
    const run = await runOnSmallDisk(folder, { size: '1m' }, [process.execPath, '--require', 'tsx/cjs', downloadOnce, server.url('/big.bin'), folder]);
    assert.equal(run.code, 1, run.stderr);
    const outcome = JSON.parse(run.stdout.trim()) as { ok: boolean; kind: string; message: string };
    assert.equal(outcome.kind, 'filesystem');
    assert.match(outcome.message, /ENOSPC/);
    assert.deepEqual(run.left, []);
  });

  it('a parallel ranged fetch into a folder on a small full filesystem fails cleanly (no file, no .part, no record)', async () => {
    const parallel = JSON.stringify({ thresholdBytes: 1024 * 1024, partBytes: 256 * 1024, connections: 4, fastConnectionBytesPerSecond: 1e15 });
    const run = await runOnSmallDisk(folder, { size: '1m' }, [process.execPath, '--require', 'tsx/cjs', downloadOnce, server.url('/big.bin'), folder, parallel]);
    assert.equal(run.code, 1, run.stderr);
    const outcome = JSON.parse(run.stdout.trim()) as { ok: boolean; kind: string; message: string };
    assert.equal(outcome.kind, 'filesystem');
    assert.match(outcome.message, /ENOSPC: no space left on device.*The disk is full/);
    assert.deepEqual(run.left, []);
    assert.ok(server.requests.some((r) => /^bytes=\d+-\d+$/.test(r.headers.range ?? '')), 'ranges were asked for');
  });
});
