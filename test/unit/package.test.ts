import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as yauzl from 'yauzl';

const root = join(__dirname, '..', '..');

function listZip(file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) {
        reject(err);
        return;
      }
      const names: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

describe('npm run package (.vsix contents, built dist/)', function () {
  this.timeout(180_000);
  let dir: string;
  let entries: string[];
  let output: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 's3-hooks-vsix-'));
    const vsix = join(dir, 's3-hooks.vsix');
    // The same command `npm run package` runs (its arguments read from package.json), written to a temporary folder.
    const { scripts } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const [tool, ...args] = scripts.package.split(/\s+/);
    assert.equal(tool, 'vsce');
    const { stdout, stderr } = await promisify(execFile)(join(root, 'node_modules', '.bin', 'vsce'), [...args, '-o', vsix], { cwd: root });
    output = `${stdout}\n${stderr}`;
    entries = await listZip(vsix);
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('holds the bundled extension, manifest, README, CHANGELOG and LICENSE', () => {
    for (const needed of ['extension/dist/extension.js', 'extension/package.json', 'extension/readme.md', 'extension/changelog.md', 'extension/LICENSE.txt', 'extension/schemas/voicebase-callbacks.schema.json']) {
      assert.ok(entries.includes(needed), `${needed} missing from the .vsix: ${entries.join(', ')}`);
    }
  });

  it('passes vsce\'s manifest checks without a warning', () => {
    assert.doesNotMatch(output, /\bWARNING\b/i, output);
  });

  it('holds the extension icon, the view icon and every walkthrough page, but not the README screenshots', async () => {
    const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
      icon: string;
      contributes: { viewsContainers: { activitybar: { icon: string }[] }; walkthroughs: { steps: { media: { markdown?: string } }[] }[] };
    };
    const needed = [
      manifest.icon,
      ...manifest.contributes.viewsContainers.activitybar.map((c) => c.icon),
      ...manifest.contributes.walkthroughs.flatMap((w) => w.steps.flatMap((s) => (s.media.markdown ? [s.media.markdown] : []))),
    ];
    for (const path of needed) {
      assert.ok(entries.includes(`extension/${path}`), `${path} missing from the .vsix`);
    }
    assert.deepEqual(entries.filter((e) => e.startsWith('extension/media/screenshots/')), []);
  });

  it('holds every lazy bundle dist/extension.js loads at first use, and not the build metafile', async () => {
    const lazy = (await readdir(join(root, 'dist'))).filter((name) => /^lazy-.*\.js$/.test(name));
    assert.ok(lazy.length > 0, 'no dist/lazy-*.js: run `npm run build` first');
    for (const name of lazy) {
      assert.ok(entries.includes(`extension/dist/${name}`), `dist/${name} missing from the .vsix`);
    }
    assert.ok(!entries.includes('extension/dist/extension.meta.json'), 'the build metafile is not for users');
  });

  it('holds nothing from src/, test/, node_modules/, .vscode-test/, sample/ or out/, and no source maps', () => {
    const leaked = entries.filter((e) => /^extension\/(src|test|node_modules|\.vscode-test|sample|out|scripts)\//.test(e) || e.endsWith('.map'));
    assert.deepEqual(leaked, []);
  });
});
