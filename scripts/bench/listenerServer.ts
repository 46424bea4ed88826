// One server under test for the listener benchmark, run in its own process (bundled by
// scripts/bench/listener.mjs): `ours` is the S3 Hooks WebhookListener with its history;
// `reference` is issue 13's reference: node:http writing the same record (id, time, method, path,
// headers, parsed body) as one JSON line before answering; `bare` (context only, `--raw`) is
// S3-TESTING.md's older reference: each raw body appended as a line, no record at all. Prints {"port"} on stdout; on
// SIGTERM it stops, flushes, and prints {"stored"} (lines in its file).
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile, rename } from 'node:fs/promises';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { EventHistory } from '../../src/core/listener/eventHistory';
import { listenerDefaults } from '../../src/core/defaults';
import { WebhookListener } from '../../src/core/listener/webhookListener';

/** Lines in a file, counted with Buffer.indexOf (native) so that counting does not stall the server under test. */
async function countLines(file: string): Promise<number> {
  const data = await readFile(file).catch(() => Buffer.alloc(0));
  let n = 0;
  for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) {
    n++;
  }
  return n;
}

async function ours(dir: string): Promise<{ port: number; stop: () => Promise<number> }> {
  const file = join(dir, 'events.jsonl');
  // The extension's default history cap: the file rotates every `cap` lines. Each rotated file is moved
  // aside (one rename) before the next rotation may replace it, and counted after the run: counting it
  // here, while the load runs, would charge the benchmark's own bookkeeping to the listener.
  const rotatedFiles: string[] = [];
  const history = new EventHistory({
    file,
    cap: listenerDefaults.historyCap,
    onRotated: async (rotated) => {
      const kept = join(dir, `rotated-${rotatedFiles.length}.jsonl`);
      await rename(rotated, kept);
      rotatedFiles.push(kept);
    },
  });
  await history.load();
  const listener = new WebhookListener({ history, receivedDir: join(dir, 'received'), port: 0 });
  await listener.start();
  return {
    port: listener.port!,
    async stop() {
      await listener.stop();
      await history.close();
      let lines = await countLines(file);
      for (const rotated of rotatedFiles) {
        lines += await countLines(rotated);
      }
      return lines;
    },
  };
}

async function bare(dir: string): Promise<{ port: number; stop: () => Promise<number> }> {
  const file = join(dir, 'bare.jsonl');
  const out = createWriteStream(file, { flags: 'a' });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      out.write(Buffer.concat([...chunks, Buffer.from('\n')]), () => {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 11 });
        res.end('{"ok":true}');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await new Promise<void>((resolve) => out.end(resolve));
      return countLines(file);
    },
  };
}

/**
 * The reference (issue 13): a bare node:http server doing the same persisted work as the listener,
 * i.e. a JSON line per request with id, time, method, path, every header and the parsed body, appended
 * to one open WriteStream, answered after the write callback. No classification, redaction, limits,
 * duplicates, in-memory history, rotation, timeouts or backstop: what the listener adds on top of this
 * is what the ratio measures.
 */
async function reference(dir: string): Promise<{ port: number; stop: () => Promise<number> }> {
  const file = join(dir, 'reference.jsonl');
  const out = createWriteStream(file, { flags: 'a' });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      const q = (req.url ?? '/').indexOf('?');
      const record = {
        id: randomUUID(),
        receivedAt: new Date().toISOString(),
        method: req.method,
        path: q === -1 ? req.url : req.url!.slice(0, q),
        headers: req.headers,
        body,
      };
      out.write(`${JSON.stringify(record)}\n`, () => {
        const answer = `{"received":"${record.id}"}`;
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': answer.length });
        res.end(answer);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await new Promise<void>((resolve) => out.end(resolve));
      return countLines(file);
    },
  };
}

async function mainBench(): Promise<void> {
  const [mode, dir] = process.argv.slice(2);
  const server = mode === 'bare' ? await bare(dir) : mode === 'reference' ? await reference(dir) : await ours(dir);
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
  process.once('SIGTERM', () => {
    const used = process.cpuUsage(cpu);
    void server.stop().then((stored) => {
      process.stdout.write(`${JSON.stringify({ stored, cpuMs: (used.user + used.system) / 1000, user: used.user / 1000, sys: used.system / 1000 })}\n`);
      process.exit(0);
    });
  });
}

void mainBench();
