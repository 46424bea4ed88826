// Download benchmark (issue 5): serves a large file from a local node:http server and, in the same
// run, times `curl -o` and `s3-hooks fetch` (dist/cli.js) on it several times, interleaved, then
// prints the medians, the ratio curl time / ours (target >= 0.9) and our peak RSS (target < 100 MB).
// Usage: node scripts/bench/download.mjs [--size 1G] [--runs 5]   (or BENCH_SIZE / BENCH_RUNS)
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

/**
 * Serves `size` bytes (a 1 MiB random block repeated, so no disk read competes with the clients)
 * under any path, with Content-Length and an ETag, like S3 answering a presigned GET.
 */
async function startServer(size) {
  const block = randomBytes(1024 * 1024);
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size, etag: '"bench"' });
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        const n = Math.min(block.length, size - sent);
        sent += n;
        if (!res.write(n === block.length ? block : block.subarray(0, n))) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    pump();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  // Shaped like a presigned GET (valid for an hour) so that `s3-hooks fetch` inspects it as it would a real one.
  const now = new Date();
  const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const query =
    `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=BENCH%2F${amzDate.slice(0, 8)}%2Fus-east-1%2Fs3%2Faws4_request` +
    `&X-Amz-Date=${amzDate}&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=${'0'.repeat(64)}`;
  return { url: `http://127.0.0.1:${port}/bench-bucket/bench.bin?${query}`, expected: block, close: () => new Promise((r) => server.close(r)) };
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

/** The download section; resolves true when both targets are met. */
export async function runDownloadBench(args = []) {
  const size = parseSize(option(args, '--size', process.env.BENCH_SIZE ?? '1G'));
  const runs = Number(option(args, '--runs', process.env.BENCH_RUNS ?? '5'));
  if (!existsSync(cli)) {
    throw new Error('dist/cli.js is missing: run `npm run build` first (npm run bench does).');
  }
  const dir = await mkdtemp(join(tmpdir(), 's3hooks-bench-dl-'));
  const rssFile = join(dir, 'rss.txt');
  // Loaded with --require into `s3-hooks fetch`: writes the process's peak resident set size on exit.
  const probe = join(dir, 'rss-probe.cjs');
  await writeFile(probe, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS * 1024)));\n`);
  const server = await startServer(size);
  const curlOut = join(dir, 'curl.bin');
  const oursDir = join(dir, 'ours');
  const oursOut = join(oursDir, 'bench.bin');
  const curlTimes = [];
  const ourTimes = [];
  const rss = [];
  try {
    console.log(`Download: ${mb(size)} from a local node:http server, ${runs} timed runs each after one warm-up, interleaved`);
    const runCurl = async () => {
      const ms = await timed('curl', ['-s', '-f', '-o', curlOut, server.url]);
      if ((await stat(curlOut)).size !== size) {
        throw new Error('curl saved the wrong number of bytes');
      }
      await rm(curlOut, { force: true });
      return ms;
    };
    const runOurs = async (check) => {
      const ms = await timed(process.execPath, ['--require', probe, cli, 'fetch', server.url, '--out', oursDir]);
      const saved = await stat(oursOut);
      if (saved.size !== size) {
        throw new Error(`s3-hooks fetch saved ${saved.size} bytes, expected ${size}`);
      }
      if (check && (await sha256File(oursOut)) !== expectedSha256(server.expected, size)) {
        throw new Error('s3-hooks fetch saved different bytes (SHA-256 mismatch)');
      }
      rss.push(Number(await readFile(rssFile, 'utf8')));
      await rm(oursDir, { recursive: true, force: true });
      return ms;
    };
    await runCurl();
    await runOurs(true);
    for (let i = 0; i < runs; i++) {
      // Alternate who goes first so that neither always gets the warmer page cache.
      if (i % 2 === 0) {
        curlTimes.push(await runCurl());
        ourTimes.push(await runOurs(false));
      } else {
        ourTimes.push(await runOurs(false));
        curlTimes.push(await runCurl());
      }
      console.log(`  run ${i + 1}: curl ${curlTimes.at(-1).toFixed(0)} ms, s3-hooks fetch ${ourTimes.at(-1).toFixed(0)} ms`);
    }
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
  const curlMedian = median(curlTimes);
  const ourMedian = median(ourTimes);
  const ratio = curlMedian / ourMedian;
  const peak = Math.max(...rss);
  const met = ratio >= 0.9 && peak < 100 * 1024 * 1024;
  const rate = (ms) => `${(size / 1024 / 1024 / (ms / 1000)).toFixed(0)} MB/s`;
  console.log(`  curl -o          median ${curlMedian.toFixed(0)} ms (${rate(curlMedian)})`);
  console.log(`  s3-hooks fetch   median ${ourMedian.toFixed(0)} ms (${rate(ourMedian)}), peak RSS ${mb(peak)} (SHA-256 checked)`);
  console.log(`  ratio curl/ours ${ratio.toFixed(2)} (target >= 0.9), peak RSS ${mb(peak)} (target < 100 MB)  => ${met ? 'targets met' : 'TARGETS MISSED'}`);
  return met;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const met = await runDownloadBench(process.argv.slice(2));
  process.exitCode = met ? 0 : 1;
}
