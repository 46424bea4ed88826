import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

// Keeps the shape of src/ (ARCHITECTURE.md): files small enough to read whole, and
// features that do not reach into each other (shared code lives in core/, ui/, log/
// and the top-level files; extension.ts wires the features together).

const root = join(__dirname, '..', '..');
const src = join(root, 'src');
const unit = __dirname;

/** Folders under src/ every feature may use. Any other folder is a feature. */
const sharedFolders = new Set(['core', 'ui', 'log']);
/** Top-level files that wire features together (and so import them). */
const wiringFiles = new Set(['extension.ts', 'api.ts']);

/**
 * Files allowed over 300 lines, each with its reason. Over 400 is allowed only
 * while another engineer's split is on its way: remove the entry when it lands
 * (the test fails on an entry that is no longer needed).
 */
const longFiles: Record<string, string> = {};
/** Entries of {@link longFiles} that may still be over 400 lines. */
const splitsInProgress = new Set<string>([]);

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.(ts|mts|cts)$/.test(name) ? [path] : [];
  });
}

const files = sourceFiles(src);
const rel = (path: string): string => relative(root, path).split(sep).join('/');

function lineCount(path: string): number {
  const text = readFileSync(path, 'utf8');
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** `core`, `listener`, … for a file in (or an import of) a folder under src/; undefined for a top-level file. */
function topFolder(path: string): string | undefined {
  const first = relative(src, path).split(sep)[0];
  return existsSync(join(src, first)) && statSync(join(src, first)).isDirectory() ? first : undefined;
}

/** Relative module specifiers a file imports, re-exports, `require`s or `import()`s. */
function relativeImports(text: string): string[] {
  const found = [
    ...text.matchAll(/\b(?:import|export)\s[^;]*?\sfrom\s+['"](\.[^'"]+)['"]/g),
    ...text.matchAll(/\bimport\s+['"](\.[^'"]+)['"]/g),
    ...text.matchAll(/\b(?:require|import)\(\s*['"](\.[^'"]+)['"]\s*\)/g),
  ];
  return found.map((m) => m[1]);
}

describe('Shape of src/ (ARCHITECTURE.md)', () => {
  it('keeps every file under 400 lines, and under 300 unless it states a reason', () => {
    const problems: string[] = [];
    for (const file of files) {
      const name = rel(file);
      const lines = lineCount(file);
      if (lines > 400 && !splitsInProgress.has(name)) {
        problems.push(`${name}: ${lines} lines (over 400): split it by responsibility`);
      } else if (lines > 300 && !longFiles[name]) {
        problems.push(`${name}: ${lines} lines (over 300): split it, or add it with a reason to longFiles in this test`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('lists no file as long or being split that no longer is (remove the entry)', () => {
    const stale = Object.keys(longFiles).filter((name) => !existsSync(join(root, name)) || lineCount(join(root, name)) <= 300);
    const split = [...splitsInProgress].filter((name) => !existsSync(join(root, name)) || lineCount(join(root, name)) <= 400);
    assert.deepEqual([...stale, ...split], []);
    for (const name of splitsInProgress) {
      assert.ok(longFiles[name], `${name} is in splitsInProgress without a reason in longFiles`);
    }
  });

  it('has no feature folder import another feature folder, and no shared module import a feature', () => {
    const problems: string[] = [];
    for (const file of files) {
      const from = topFolder(file);
      const text = readFileSync(file, 'utf8');
      for (const spec of relativeImports(text)) {
        const target = resolve(dirname(file), spec);
        if (!target.startsWith(src + sep)) {
          continue; // package.json and the like
        }
        const to = topFolder(target);
        if (to === undefined || to === from || sharedFolders.has(to)) {
          continue;
        }
        // `to` is a feature folder other than the importer's own.
        if (from === undefined && wiringFiles.has(relative(src, file))) {
          continue;
        }
        problems.push(`${rel(file)} imports '${spec}' (feature "${to}")`);
      }
    }
    assert.deepEqual(problems, [], 'Hand features what they need through an interface in src/services.ts, wired in extension.ts; shared code goes in src/core (decisions) or src/ui (VS Code helpers)');
  });

  it('names in ARCHITECTURE.md only folders and files that exist', () => {
    const text = readFileSync(join(root, 'ARCHITECTURE.md'), 'utf8');
    const named = [...text.matchAll(/`((?:src|test|scripts|schemas)\/[^`\s]*)`/g)].map((m) => m[1].replace(/\/$/, ''));
    assert.ok(named.length > 10, 'ARCHITECTURE.md names no paths: is this check still reading it?');
    assert.deepEqual(
      named.filter((path) => !existsSync(join(root, path))),
      [],
      'ARCHITECTURE.md names these, but they are gone: update the page',
    );
  });

  it('keeps core/ to itself: it imports nothing else from src/', () => {
    const problems: string[] = [];
    for (const file of files.filter((f) => topFolder(f) === 'core')) {
      for (const spec of relativeImports(readFileSync(file, 'utf8'))) {
        const target = resolve(dirname(file), spec);
        if (target.startsWith(src + sep) && topFolder(target) !== 'core') {
          problems.push(`${rel(file)} imports '${spec}'`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });
});

/** Every file under `folder`, relative to it, with `/` separators. */
function filesUnder(folder: string, prefix = ''): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

describe('Shape of test/unit/ (test/README.md)', () => {
  it('mirrors src/: a test sits at the path of the module or folder it tests', () => {
    const problems: string[] = [];
    for (const path of filesUnder(unit).filter((p) => p.includes('/') && !p.startsWith('fuzz/'))) {
      const folder = path.slice(0, path.lastIndexOf('/'));
      const name = path.slice(path.lastIndexOf('/') + 1);
      if (!name.endsWith('.test.ts')) {
        problems.push(`test/unit/${path}: only tests live in the mirrored folders; move helpers to test/support/`);
        continue;
      }
      // `webhookListener.slowClients.test.ts` tests src/.../webhookListener.ts under one condition.
      const module = name.split('.')[0];
      const target = join(src, folder, module);
      if (!existsSync(`${target}.ts`) && !(existsSync(target) && statSync(target).isDirectory())) {
        problems.push(`test/unit/${path}: there is no src/${folder}/${module}.ts (or folder) for it to test`);
      }
    }
    assert.deepEqual(problems, [], 'Name a unit test after what it tests: test/unit/core/X/y.test.ts tests src/core/X/y.ts (test/README.md)');
  });
});
