import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandIds } from '../../src/commandIds';

interface Manifest {
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    configuration: { title: string; properties: Record<string, { markdownDescription?: string; scope?: string }> };
    menus?: { commandPalette?: { command: string; when?: string }[] };
  };
  activationEvents?: string[];
  engines: { vscode: string };
  devDependencies: Record<string, string>;
}

const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;

// settings.ts imports vscode, so read its key table as text rather than loading it.
function settingKeysFromSource(): string[] {
  const source = readFileSync(join(root, 'src', 'settings.ts'), 'utf8');
  const table = /export const SettingKeys = \{([\s\S]*?)\} as const/.exec(source);
  assert.ok(table, 'SettingKeys table not found in src/settings.ts');
  return [...table[1].matchAll(/:\s*'([^']+)'/g)].map((m) => `s3Hooks.${m[1]}`);
}

describe('package.json manifest', () => {
  it('declares exactly the commands of the CommandIds table, each with the S3 Hooks category', () => {
    const declared = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(declared, Object.values(CommandIds).sort());
    for (const c of manifest.contributes.commands) {
      assert.equal(c.category, 'S3 Hooks', `${c.command} has no S3 Hooks category`);
      assert.match(c.title, /^[A-Z]/, `${c.command} title should start with a capitalised verb`);
    }
  });

  it('declares exactly the settings of the SettingKeys table, each prefixed, scoped and described', () => {
    const props = manifest.contributes.configuration.properties;
    assert.equal(manifest.contributes.configuration.title, 'S3 Hooks');
    assert.deepEqual(Object.keys(props).sort(), settingKeysFromSource().sort());
    for (const [key, prop] of Object.entries(props)) {
      assert.ok(key.startsWith('s3Hooks.'), key);
      assert.ok(prop.markdownDescription, `${key} has no markdownDescription`);
      assert.ok(prop.scope, `${key} has no scope`);
    }
  });

  it('does not activate on *', () => {
    assert.ok(!(manifest.activationEvents ?? []).includes('*'));
  });

  it('pins @types/vscode to the engine it declares', () => {
    const engine = manifest.engines.vscode.replace(/^\^/, '');
    assert.equal(manifest.devDependencies['@types/vscode'].replace(/^[\^~]/, ''), engine);
  });

  it('only refers to declared commands in its menus', () => {
    const ids = new Set(Object.values(CommandIds) as string[]);
    for (const entry of manifest.contributes.menus?.commandPalette ?? []) {
      assert.ok(ids.has(entry.command), `menu refers to unknown command ${entry.command}`);
    }
  });
});
