import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandIds, WalkthroughIds } from '../../src/commandIds';
import { listenerDefaults, listenerMaxBodyMegabytes } from '../../src/core/defaults';
import { parallelDefaults } from '../../src/core/download/options';

interface Manifest {
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    configuration: { title: string; properties: Record<string, { markdownDescription?: string; scope?: string; default?: unknown }> };
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

  it('states the listener defaults of src/core/defaults.ts, which the CLI uses too', () => {
    const props = manifest.contributes.configuration.properties;
    const expected: Record<string, unknown> = {
      's3Hooks.listener.host': listenerDefaults.host,
      's3Hooks.listener.port': listenerDefaults.port,
      's3Hooks.listener.maxBodyMegabytes': listenerMaxBodyMegabytes,
      's3Hooks.listener.answerStatus': listenerDefaults.answerStatus,
      's3Hooks.listener.autoFetch': listenerDefaults.autoFetch,
      's3Hooks.listener.snsAutoConfirm': listenerDefaults.snsAutoConfirm,
      's3Hooks.listener.historyCap': listenerDefaults.historyCap,
      's3Hooks.listener.autoFetchMaxFileMegabytes': listenerDefaults.autoFetchMaxFileMegabytes,
      's3Hooks.listener.autoFetchMegabytesPerHour': listenerDefaults.autoFetchMegabytesPerHour,
    };
    for (const [key, value] of Object.entries(expected)) {
      assert.equal(props[key]?.default, value, `${key}: package.json default differs from src/core/defaults.ts`);
    }
    assert.deepEqual(props['s3Hooks.listener.autoFetchHosts']?.default, listenerDefaults.autoFetchHosts);
    assert.deepEqual(props['s3Hooks.listener.autoFetchBuckets']?.default, listenerDefaults.autoFetchBuckets);
    // Auto-fetch is steered by whoever can post an event: a workspace's own settings must not switch it on or widen it.
    for (const key of ['autoFetch', 'autoFetchHosts', 'autoFetchBuckets', 'autoFetchMaxFileMegabytes', 'autoFetchMegabytesPerHour', 'historyFolder']) {
      assert.equal(props[`s3Hooks.listener.${key}`]?.scope, 'machine', `s3Hooks.listener.${key} must be machine-scoped`);
    }
  });

  it('states the download defaults of src/core/download/options.ts, which the CLI uses too', () => {
    const props = manifest.contributes.configuration.properties;
    const MiB = 1024 * 1024;
    assert.equal(props['s3Hooks.fetch.parallelThresholdMegabytes']?.default, parallelDefaults.thresholdBytes / MiB);
    assert.equal(props['s3Hooks.fetch.connections']?.default, parallelDefaults.connections);
    assert.equal(props['s3Hooks.fetch.partSizeMegabytes']?.default, parallelDefaults.partBytes / MiB);
  });

  it('does not activate on *, only after start-up (so the listener status bar item is there to click)', () => {
    // Commands and views activate S3 Hooks implicitly; onStartupFinished is the one explicit event, because
    // the listener is started from the status bar, and the item exists only once the extension is active.
    assert.deepEqual(manifest.activationEvents, ['onStartupFinished']);
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

// The manifest audit of issue 7: what a first-time user sees (palette, menus, views, icons, walkthrough).
interface MenuEntry {
  command: string;
  when?: string;
  group?: string;
}
interface FullManifest {
  icon?: string;
  galleryBanner?: { color?: string; theme?: string };
  contributes: {
    commands: { command: string; title: string; icon?: string | { light: string; dark: string }; enablement?: string }[];
    configuration: { properties: Record<string, { order?: number; enum?: unknown[]; enumDescriptions?: string[]; markdownEnumDescriptions?: string[] }> };
    menus: Record<string, MenuEntry[]>;
    viewsContainers: { activitybar: { id: string; icon: string }[] };
    views: Record<string, { id: string; name: string; icon?: string }[]>;
    viewsWelcome: { view: string; contents: string }[];
    walkthroughs: {
      id: string;
      steps: { id: string; title: string; description: string; media: { markdown?: string; image?: string; altText?: string }; completionEvents?: string[] }[];
    }[];
  };
}

describe('package.json manifest (first-run audit)', () => {
  const full = manifest as unknown as FullManifest;
  const { contributes } = full;
  const commandIds = new Set(Object.values(CommandIds) as string[]);
  const menus = Object.entries(contributes.menus);

  it('refers only to declared commands in every menu', () => {
    for (const [menu, entries] of menus) {
      for (const entry of entries) {
        assert.ok(commandIds.has(entry.command), `${menu} refers to unknown command ${entry.command}`);
      }
    }
  });

  it('hides item-only commands (those only in view/item/context) from the Command Palette with "when": "false"', () => {
    const palette = new Map((contributes.menus.commandPalette ?? []).map((e) => [e.command, e.when]));
    for (const id of commandIds) {
      const places = menus.filter(([menu, entries]) => menu !== 'commandPalette' && entries.some((e) => e.command === id)).map(([menu]) => menu);
      if (places.length > 0 && places.every((menu) => menu === 'view/item/context')) {
        assert.equal(palette.get(id), 'false', `${id} acts on a tree item but shows in the Command Palette`);
      }
    }
  });

  it('gives an icon to every command shown as a button (view title bar, inline on an item, editor title)', () => {
    const icons = new Map(contributes.commands.map((c) => [c.command, c.icon]));
    for (const [menu, entries] of menus) {
      for (const entry of entries) {
        const button = (menu === 'view/title' || menu === 'editor/title') ? entry.group?.startsWith('navigation') : entry.group?.startsWith('inline');
        if (button) {
          assert.ok(icons.get(entry.command), `${entry.command} is a button in ${menu} but has no icon`);
        }
      }
    }
  });

  it('scopes every view-title and item menu entry to its view, and explorer menus to .json files', () => {
    for (const menu of ['view/title', 'view/item/context']) {
      for (const entry of contributes.menus[menu] ?? []) {
        assert.match(entry.when ?? '', /\bview == s3Hooks\.\w+/, `${entry.command} in ${menu} shows in every view`);
      }
    }
    for (const entry of contributes.menus['explorer/context'] ?? []) {
      assert.match(entry.when ?? '', /resourceExtname == \.json|resourceLangId == json/, `${entry.command} in the Explorer shows for every file`);
    }
  });

  it('orders every setting uniquely and describes every enum value', () => {
    const orders = new Map<number, string>();
    for (const [key, prop] of Object.entries(contributes.configuration.properties)) {
      assert.equal(typeof prop.order, 'number', `${key} has no order`);
      assert.ok(!orders.has(prop.order!), `${key} has the same order as ${orders.get(prop.order!)}`);
      orders.set(prop.order!, key);
      if (prop.enum) {
        const described = prop.enumDescriptions ?? prop.markdownEnumDescriptions;
        assert.equal(described?.length, prop.enum.length, `${key}: one enumDescription per enum value`);
      }
    }
  });

  it('gives every view welcome content with command links, including the walkthrough', () => {
    const views = Object.values(contributes.views).flat();
    assert.ok(views.length > 0);
    for (const view of views) {
      const welcome = contributes.viewsWelcome.filter((w) => w.view === view.id).map((w) => w.contents).join('\n');
      assert.ok(welcome, `${view.id} has no viewsWelcome`);
      assert.match(welcome, /\]\(command:s3Hooks\.\w+\)/, `${view.id}'s welcome content has no command link`);
      assert.ok(welcome.includes(`(command:${CommandIds.openGettingStarted})`), `${view.id}'s welcome content does not link the walkthrough`);
    }
  });

  it('has icons that exist: theme-coloured SVGs (currentColor) for the activity bar and views, a 128×128 PNG for the extension', () => {
    const svgs = new Set([...contributes.viewsContainers.activitybar.map((c) => c.icon), ...Object.values(contributes.views).flat().flatMap((v) => (v.icon ? [v.icon] : []))]);
    for (const icon of svgs) {
      const svg = readFileSync(join(root, icon), 'utf8');
      assert.match(svg, /currentColor/, `${icon} should draw with currentColor so that light, dark and high-contrast themes colour it`);
      assert.doesNotMatch(svg.replace(/currentColor|none/g, ''), /(fill|stroke)="[^"]+"/, `${icon} hard-codes a colour`);
    }
    assert.equal(full.icon, 'media/icon.png');
    const png = readFileSync(join(root, full.icon));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128], 'the extension icon should be 128×128');
    assert.match(full.galleryBanner?.color ?? '', /^#[0-9a-f]{6}$/i);
    assert.ok(full.galleryBanner?.theme === 'dark' || full.galleryBanner?.theme === 'light');
  });

  it('declares the Getting Started walkthrough: each step with its Markdown page, a button and a completion event', () => {
    const walkthrough = contributes.walkthroughs.find((w) => w.id === WalkthroughIds.gettingStarted);
    assert.ok(walkthrough, `no walkthrough ${WalkthroughIds.gettingStarted}`);
    assert.ok(walkthrough.steps.length >= 5);
    for (const step of walkthrough.steps) {
      assert.ok(step.media.markdown, `${step.id} has no Markdown page`);
      assert.ok(existsSync(join(root, step.media.markdown)), `${step.media.markdown} does not exist`);
      // A line that is only a link renders as a button.
      assert.match(step.description, /\n\[[^\]]+\]\(command:[\w.]+[^)]*\)(\n|$)/, `${step.id} has no button`);
      assert.ok((step.completionEvents ?? []).length > 0, `${step.id} never completes by itself`);
      for (const event of step.completionEvents ?? []) {
        const command = /^onCommand:(.+)$/.exec(event)?.[1];
        assert.ok(!command || commandIds.has(command), `${step.id} completes on unknown command ${command}`);
        const setting = /^onSettingChanged:(.+)$/.exec(event)?.[1];
        assert.ok(!setting || setting in contributes.configuration.properties, `${step.id} completes on unknown setting ${setting}`);
      }
    }
  });
});
