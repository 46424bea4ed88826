// Download benchmark (issues 5 and 13): in the same run, several interleaved rounds of
// - a paced server (each connection capped like S3, 50 MB/s, plus 20 ms to the first byte), 256 MiB:
//   curl (one connection), `aria2c -x8 -s8` (parallel ranges, the reference) and `s3-hooks fetch`;
// - plain loopback (no cap), 1 GiB: curl and `s3-hooks fetch`.
// Prints each tool's median and spread (min-max), the speed ratios, our peak RSS, and checks every saved
// file's SHA-256. Targets: >= 0.9x aria2c's speed paced, >= 1.0x curl's unpaced, peak RSS < 100 MB.
// It installs nothing: curl and aria2c must be on PATH (`npm run bench` installs the Debian packages
// curl and aria2 first as root, or says what to install).
// Usage: node scripts/bench/download.mjs [--size 1G] [--paced-size 256M] [--runs 5]
//        (or BENCH_SIZE / BENCH_PACED_SIZE / BENCH_RUNS)
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist', 'cli.js');

/** "1G", "256M", "64k" or a byte count. */
export function parseSize(text) {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)i?b?$/i.exec(String(text).trim());
  if (!m) {
    throw new Error(`Cannot read the size "${text}" (examples: 1G, 256M, 1048576).`);
  }
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase()];
  return Math.round(Number(m[1]) * unit);
}

function option(args, name, fallback) {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** `bytes=N-` / `bytes=N-M` → [start, end) within `size`, or undefined. */
function askedRange(header, size) {
  const m = header ? /^bytes=(\d+)-(\d*)$/.exec(header) : null;
  if (!m || Number(m[1]) >= size) {
    return undefined;
  }
  return [Number(m[1]), Math.min(size, m[2] ? Number(m[2]) + 1 : size)];
}

/**
 * Serves `size` bytes (a 1 MiB random block repeated, so no disk read competes with the clients)
 * under any path, with Content-Length, an ETag and byte ranges, like S3 answering a presigned GET.
 * With `pace`, every answer waits `firstByteMs` before its headers and is then sent at no more than
 * `bytesPerSecond`, per connection, as S3 does.
 */
async function startServer(size, pace) {
  const block = randomBytes(1024 * 1024);
  const server = http.createServer((req, res) => {
    const range = askedRange(req.headers.range, size);
    const [start, end] = range ?? [0, size];
    const headers = { 'content-type': 'application/octet-stream', 'content-length': end - start, etag: '"bench"', 'accept-ranges': 'bytes' };
    if (range) {
      headers['content-range'] = `bytes ${start}-${end - 1}/${size}`;
    }
    let sent = start;
    let began = 0;
    const pump = () => {
      while (sent < end && !res.destroyed) {
        if (pace) {
          const wait = began + ((sent - start) / pace.bytesPerSecond) * 1000 - performance.now();
          if (wait > 1) {
            setTimeout(pump, wait);
            return;
          }
        }
        const offset = sent % block.length;
        // Paced answers go out in 256 KiB steps (5 ms at 50 MB/s), unpaced ones a block at a time.
        const n = Math.min(block.length - offset, end - sent, pace ? 256 * 1024 : block.length);
        sent += n;
        if (!res.write(block.subarray(offset, offset + n))) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    const answer = () => {
      res.writeHead(range ? 206 : 200, headers);
      began = performance.now();
      pump();
    };
    if (pace) {
      setTimeout(answer, pace.firstByteMs);
    } else {
      answer();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  // Shaped like a presigned GET (valid for an hour) so that `s3-hooks fetch` inspects it as it would a real one.
  const now = new Date();
  const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const query =
    `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=BENCH%2F${amzDate.slice(0, 8)}%2Fus-east-1%2Fs3%2Faws4_request` +
    `&X-Amz-Date=${amzDate}&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=${'0'.repeat(64)}`;
  return {
    url: `http://127.0.0.1:${port}/bench-bucket/bench.bin?${query}`,
    sha256: expectedSha256(block, size),
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    },
  };
}

/** Runs a command, resolving with its wall time in ms; rejects on a non-zero exit. */
function timed(command, args, env) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - started;
      if (code === 0) {
        resolve(ms);
      } else {
        reject(new Error(`${command} exited with ${code}: ${stderr.trim()}`));
      }
    });
  });
}

async function sha256File(path) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk);
  }
  return hash.digest('hex');
}

function expectedSha256(block, size) {
  const hash = createHash('sha256');
  let left = size;
  while (left > 0) {
    const n = Math.min(block.length, left);
    hash.update(n === block.length ? block : block.subarray(0, n));
    left -= n;
  }
  return hash.digest('hex');
}

/** Whether a program is on PATH. */
function onPath(command) {
  return new Promise((resolve) => {
    const child = spawn(command, ['--version'], { stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
}

/** Median start-up of a bare `node -e 0` with NODE_EXTRA_CA_CERTS minus without it, in whole ms (5 of each, alternating). */
async function extraCaStartCost() {
  const withCa = [];
  const without = [];
  for (let i = 0; i < 5; i++) {
    withCa.push(await timed(process.execPath, ['-e', '0']));
    without.push(await timed(process.execPath, ['-e', '0'], { NODE_EXTRA_CA_CERTS: '' }));
  }
  return Math.round(median(withCa) - median(without));
}

const spread = (xs) => `${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)} ms`;

/**
 * Times each tool `runs` times on one server, rotating who goes first each round (no tool always
 * gets the warmer cache), checking every saved file's size and SHA-256. Returns times per tool.
 */
async function rounds(label, server, size, tools, runs) {
  const times = Object.fromEntries(tools.map((t) => [t.name, []]));
  for (let round = -1; round < runs; round++) {
    const order = tools.map((_, i) => tools[(i + Math.max(round, 0)) % tools.length]);
    const line = [];
    for (const tool of order) {
      const ms = await timed(...tool.command(server.url));
      const saved = tool.output();
      if ((await stat(saved)).size !== size) {
        throw new Error(`${tool.name} saved the wrong number of bytes`);
      }
      if ((await sha256File(saved)) !== server.sha256) {
        throw new Error(`${tool.name} saved different bytes (SHA-256 mismatch)`);
      }
      await tool.after?.();
      await rm(saved, { force: true });
      if (round >= 0) {
        times[tool.name].push(ms);
        line.push(`${tool.name} ${ms.toFixed(0)} ms`);
      }
    }
    if (round >= 0) {
      console.log(`  ${label} round ${round + 1}: ${line.join(', ')} (SHA-256 checked)`);
    }
  }
  return times;
}

/** The download section; resolves true when every target is met. */
export async function runDownloadBench(args = []) {
  const size = parseSize(option(args, '--size', process.env.BENCH_SIZE ?? '1G'));
  const pacedSize = parseSize(option(args, '--paced-size', process.env.BENCH_PACED_SIZE ?? '256M'));
  const runs = Number(option(args, '--runs', process.env.BENCH_RUNS ?? '5'));
  if (!existsSync(cli)) {
    throw new Error('dist/cli.js is missing: run `npm run build` first (npm run bench does).');
  }
  const missing = [];
  for (const [program, pkg] of [['curl', 'curl'], ['aria2c', 'aria2']]) {
    if (!(await onPath(program))) {
      missing.push(`${program} (Debian package ${pkg})`);
    }
  }
  if (missing.length > 0) {
    console.log(`Download: cannot compare, missing ${missing.join(' and ')}. Install: apt-get install curl aria2 (npm run bench does it as root).`);
    return false;
  }
  const startCost = process.env.NODE_EXTRA_CA_CERTS ? await extraCaStartCost() : 0;
  const dir = await mkdtemp(join(tmpdir(), 's3hooks-bench-dl-'));
  const rssFile = join(dir, 'rss.txt');
  // Loaded with --require into `s3-hooks fetch`: writes the process's peak resident set size on exit.
  const probe = join(dir, 'rss-probe.cjs');
  await writeFile(probe, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS * 1024)));\n`);
  const rss = { paced: [], loopback: [] };
  let section = 'paced';
  const curl = { name: 'curl', command: (url) => ['curl', ['-s', '-f', '-o', join(dir, 'curl.bin'), url]], output: () => join(dir, 'curl.bin') };
  const aria2 = {
    name: 'aria2c -x8 -s8',
    command: (url) => ['aria2c', ['-x8', '-s8', '-q', '--allow-overwrite=true', '--auto-file-renaming=false', '-d', dir, '-o', 'aria2.bin', url]],
    output: () => join(dir, 'aria2.bin'),
  };
  const ours = {
    name: 's3-hooks fetch',
    command: (url) => [process.execPath, ['--require', probe, cli, 'fetch', url, '--out', join(dir, 'ours')]],
    output: () => join(dir, 'ours', 'bench.bin'),
    after: async () => rss[section].push(Number(await readFile(rssFile, 'utf8'))),
  };
  const paced = { bytesPerSecond: 50e6, firstByteMs: 20 };
  let pacedTimes;
  let loopTimes;
  try {
    console.log(`Download, paced like S3 (each connection ${paced.bytesPerSecond / 1e6} MB/s, ${paced.firstByteMs} ms to first byte): ${mb(pacedSize)}, ${runs} rounds after a warm-up`);
    const pacedServer = await startServer(pacedSize, paced);
    try {
      pacedTimes = await rounds('paced', pacedServer, pacedSize, [curl, aria2, ours], runs);
    } finally {
      await pacedServer.close();
    }
    section = 'loopback';
    console.log(`Download, plain loopback (no cap): ${mb(size)}, ${runs} rounds after a warm-up`);
    const loopServer = await startServer(size);
    try {
      loopTimes = await rounds('loopback', loopServer, size, [curl, ours], runs);
    } finally {
      await loopServer.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const rate = (bytes, ms) => `${(bytes / 1e6 / (ms / 1000)).toFixed(0)} MB/s`;
  const report = (label, bytes, times) => {
    for (const [name, xs] of Object.entries(times)) {
      console.log(`  ${label.padEnd(8)} ${name.padEnd(16)} median ${median(xs).toFixed(0)} ms (${rate(bytes, median(xs))}), spread ${spread(xs)}`);
    }
  };
  report('paced', pacedSize, pacedTimes);
  report('loopback', size, loopTimes);
  const vsAria2 = median(pacedTimes['aria2c -x8 -s8']) / median(pacedTimes['s3-hooks fetch']);
  const vsCurlPaced = median(pacedTimes.curl) / median(pacedTimes['s3-hooks fetch']);
  const vsCurlLoop = median(loopTimes.curl) / median(loopTimes['s3-hooks fetch']);
  const peak = Math.max(...rss.paced, ...rss.loopback);
  const met = vsAria2 >= 0.9 && vsCurlLoop >= 1.0 && peak < 100 * 1024 * 1024;
  // Each round's own ratio (the two ran back to back), to show how far the machine's load moved it.
  const perRound = (theirs, ours) => {
    const r = theirs.map((t, i) => t / ours[i]);
    return `each round ${Math.min(...r).toFixed(2)}-${Math.max(...r).toFixed(2)}x`;
  };
  console.log(
    `  paced: speed vs aria2c ${vsAria2.toFixed(2)}x (ratio of medians; ${perRound(pacedTimes['aria2c -x8 -s8'], pacedTimes['s3-hooks fetch'])}; target >= 0.9), vs curl ${vsCurlPaced.toFixed(1)}x`,
  );
  console.log(`  loopback: speed vs curl ${vsCurlLoop.toFixed(2)}x (ratio of medians; ${perRound(loopTimes.curl, loopTimes['s3-hooks fetch'])}; target >= 1.0)`);
  if (process.env.NODE_EXTRA_CA_CERTS) {
    console.log(`  note: NODE_EXTRA_CA_CERTS is set, so every Node process (s3-hooks fetch too, not curl or aria2c) parses those certificates at start: ${startCost} ms more here.`);
  }
  console.log(
    `  s3-hooks fetch peak RSS ${mb(peak)} over every run (paced ${mb(Math.max(...rss.paced))}, loopback ${mb(Math.max(...rss.loopback))}; target < 100 MB)  => ${met ? 'targets met' : 'TARGETS MISSED'}`,
  );
  return met;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const met = await runDownloadBench(process.argv.slice(2));
  process.exitCode = met ? 0 : 1;
}
