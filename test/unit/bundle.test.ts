import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

// What VS Code loads when S3 Hooks activates at start-up (onStartupFinished) is dist/extension.js
// alone; everything heavy waits in a lazy bundle beside it until first use (scripts/build.mjs).

const root = join(__dirname, '..', '..');
const dist = join(root, 'dist');
/** The activation bundle's limit (issue 13): under 1 MB, minified. */
const activationLimitBytes = 1_000_000;
/** Modules that must load on first use, never at start-up. */
const heavy = [
  /node_modules\/@aws-sdk\//,
  /node_modules\/@smithy\//,
  /src\/core\/download\/downloader\.ts$/,
  /src\/core\/download\/fetchReference\.ts$/,
  /src\/core\/presign\/presignPut\.ts$/,
  /src\/core\/s3\/connection\.ts$/,
  /src\/core\/listener\/webhookListener\.ts$/,
  /src\/core\/listener\/sampleEvents\.ts$/,
];

interface Metafile {
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }>; imports: { path: string; external?: boolean }[] }>;
}

describe('Activation bundle (built dist/)', () => {
  let meta: Metafile;
  before(() => {
    assert.ok(existsSync(join(dist, 'extension.meta.json')), 'dist/extension.meta.json is missing: run `npm run build` first');
    meta = JSON.parse(readFileSync(join(dist, 'extension.meta.json'), 'utf8')) as Metafile;
  });

  it(`dist/extension.js is under ${activationLimitBytes / 1e6} MB and minified`, () => {
    const bytes = statSync(join(dist, 'extension.js')).size;
    console.log(`      dist/extension.js: ${(bytes / 1024).toFixed(0)} KB`);
    assert.ok(bytes < activationLimitBytes, `dist/extension.js is ${bytes} bytes: over the ${activationLimitBytes}-byte limit. Load what grew on first use (see scripts/build.mjs).`);
    const text = readFileSync(join(dist, 'extension.js'), 'utf8');
    // Minified code has no indentation (template literals keep their own line breaks).
    const indented = text.split('\n').filter((line) => /^ {2,}\S/.test(line)).length;
    assert.ok(indented < 50, `dist/extension.js has ${indented} indented lines: it is not minified`);
  });

  it('holds none of the heavy modules: the AWS SDK, the downloader, the presigner, the listener server', () => {
    const inputs = Object.keys(meta.outputs['dist/extension.js'].inputs);
    const found = inputs.filter((input) => heavy.some((h) => h.test(input)));
    assert.deepEqual(found, [], 'these load at start-up: reach them through require()/import() at first use');
  });

  it('ships every lazy bundle it loads, beside it, and each loads without the vscode API', () => {
    const lazy = meta.outputs['dist/extension.js'].imports.filter((i) => i.external && i.path.startsWith('./lazy-')).map((i) => i.path);
    assert.ok(lazy.length > 0, 'no lazy bundle is loaded from dist/extension.js');
    for (const path of lazy) {
      assert.ok(existsSync(join(dist, path)), `${path} is loaded by dist/extension.js but was not built`);
    }
    // Loading a lazy bundle in plain Node proves it needs nothing from VS Code at load time.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const download = require(join(dist, 'lazy-core-download-index.js')) as typeof import('../../src/core/download');
    assert.equal(typeof download.fetchReference, 'function');
  });
});

describe('CLI bundles (built dist/)', () => {
  let meta: Metafile;
  before(() => {
    meta = JSON.parse(readFileSync(join(dist, 'extension.meta.json'), 'utf8')) as Metafile;
  });

  // Every `s3-hooks fetch` parses dist/cli.js and the fetch bundle before its first byte: the AWS SDK
  // (only bucket/key references need it) waits in its own bundle.
  it('s3-hooks fetch loads a small command table and a fetch bundle without the AWS SDK', () => {
    for (const output of ['dist/cli.js', 'dist/lazy-cli-fetch.js']) {
      assert.ok(meta.outputs[output], `${output} was not built`);
      const inputs = Object.keys(meta.outputs[output].inputs);
      const sdk = inputs.filter((input) => /node_modules\/@(aws-sdk|smithy)\//.test(input));
      assert.deepEqual(sdk, [], `${output} holds the AWS SDK: reach it through a relative require() at first use`);
    }
    const table = statSync(join(dist, 'cli.js')).size;
    assert.ok(table < 50_000, `dist/cli.js is ${table} bytes: each subcommand belongs in its own lazy bundle (src/cli/main.ts)`);
    assert.ok(readFileSync(join(dist, 'cli.js'), 'utf8').startsWith('#!/usr/bin/env node\n'), 'dist/cli.js must start with its #! line');
  });
});
