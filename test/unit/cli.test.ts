import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath as cli, runCli as runBuiltCli } from '../support/cliRun';

const root = join(__dirname, '..', '..');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;


describe('s3-hooks CLI (built dist/cli.js)', () => {
  before(function () {
    assert.ok(existsSync(cli), 'dist/cli.js is missing: run `npm run build` first');
    assert.match(readFileSync(cli, 'utf8'), /^#!\/usr\/bin\/env node\n/);
  });

  it('--version prints the package version', async () => {
    const r = await runBuiltCli(['--version']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim(), version);
  });

  it('--help lists usage and exit codes and exits 0', async () => {
    const r = await runBuiltCli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: s3-hooks <command>/);
    assert.match(r.stdout, /Exit codes:/);
  });

  it('an unknown command is a usage error (exit 2) with a hint', async () => {
    const r = await runBuiltCli(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command 'frobnicate'/);
  });
});
