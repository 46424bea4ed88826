import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode } from '../../src/cli/cliSupport';

// README.md is the user's manual: its reference tables are checked against package.json and the CLI,
// so that a command, setting or exit code cannot be added without being documented.

interface Manifest {
  contributes: {
    commands: { command: string; title: string }[];
    configuration: { properties: Record<string, { default?: unknown; scope?: string }> };
  };
}

const root = join(__dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;

/** The rows of the Markdown table that follows the `## <heading>` line, as arrays of cell texts. */
function tableAfter(heading: string): string[][] {
  const start = readme.indexOf(`\n## ${heading}\n`);
  assert.ok(start >= 0, `README has no "## ${heading}" section`);
  const section = readme.slice(start + 1).split(/\n## /)[0];
  const rows = section.split('\n').filter((line) => line.startsWith('|'));
  assert.ok(rows.length > 2, `"## ${heading}" has no table`);
  return rows.slice(2).map((row) => row.slice(1, -1).split(/(?<!\\)\|/).map((cell) => cell.trim()));
}

describe('README.md (the user manual)', () => {
  it('lists every contributed command in the Commands table, and no command that does not exist', () => {
    const rows = tableAfter('Commands');
    const documented = rows.flatMap(([cell]) => [...cell.matchAll(/\*\*([^*]+)\*\*/g)].map((m) => m[1]));
    const titles = manifest.contributes.commands.map((c) => c.title);
    for (const title of titles) {
      assert.ok(documented.includes(title), `command "${title}" is missing from the README's Commands table`);
    }
    for (const title of documented) {
      assert.ok(titles.includes(title), `the README's Commands table lists "${title}", which package.json does not contribute`);
    }
    for (const row of rows) {
      assert.equal(row.length, 3, `Commands row "${row.join(' | ')}" should have title, where it appears, what it does`);
      assert.ok(row[1] && row[2], `Commands row "${row[0]}" has an empty cell`);
    }
  });

  it('lists every setting in the Settings table with its real default and scope', () => {
    const rows = new Map(tableAfter('Settings').map(([key, ...rest]) => [key.replace(/`/g, ''), rest]));
    for (const [key, prop] of Object.entries(manifest.contributes.configuration.properties)) {
      const row = rows.get(key);
      assert.ok(row, `setting ${key} is missing from the README's Settings table`);
      const [defaultCell, scope] = row;
      const shown = /^`([^`]*)`/.exec(defaultCell)?.[1];
      if (prop.default === '' || (Array.isArray(prop.default) && prop.default.length === 0)) {
        assert.match(defaultCell, /^empty/, `${key}: default is empty, README says ${defaultCell}`);
      } else if (Array.isArray(prop.default)) {
        // A list is summed up in words; every entry the cell quotes must be in it.
        const quoted = [...defaultCell.matchAll(/`([^`]*)`/g)].map((m) => m[1]);
        for (const entry of quoted) {
          assert.ok((prop.default as unknown[]).includes(entry), `${key}: README quotes ${entry}, not in the default ${JSON.stringify(prop.default)}`);
        }
      } else {
        assert.equal(shown, String(prop.default), `${key}: default is ${JSON.stringify(prop.default)}, README says ${defaultCell}`);
      }
      assert.equal(scope, prop.scope, `${key}: scope is ${prop.scope}, README says ${scope}`);
    }
    for (const key of rows.keys()) {
      assert.ok(key in manifest.contributes.configuration.properties, `the README's Settings table lists ${key}, which package.json does not declare`);
    }
  });

  it('documents every CLI exit code of the ExitCode table with its name', () => {
    const rows = tableAfter('Command-line reference');
    for (const [name, code] of Object.entries(ExitCode)) {
      assert.ok(
        rows.some(([c, n]) => c === String(code) && n === name),
        `exit code ${code} (${name}) is missing from the README's exit code table`,
      );
    }
  });

  it('shows pictures that exist, from media/screenshots/ (made by npm run screenshots)', () => {
    const images = [...readme.matchAll(/!\[([^\]]*)\]\(([^)\s]+)\)/g)];
    assert.ok(images.length >= 5);
    for (const [, alt, path] of images) {
      assert.match(path, /^media\/screenshots\/[\w-]+\.png$/, `${path}: pictures come from npm run screenshots`);
      assert.ok(existsSync(join(root, path)), `${path} does not exist`);
      assert.ok(alt.length > 20, `${path} needs alt text that says what it shows`);
    }
  });
});
