// Bundles the extension and the CLI with esbuild. `--watch` rebuilds on change.
//
// Start-up: `dist/extension.js` is what VS Code loads when the extension activates, so it holds
// only what activate() needs (registering commands, views, the status bar, reading the history).
// Every `import('./x')` or `require('./x')` of a source module in the extension is a lazy
// boundary: that module becomes its own minified bundle, `dist/lazy-<path>.js`, required from
// the same folder at first use (the AWS SDK, the presigner, the downloader, the listener's
// server). `dist/extension.meta.json` records what each bundle holds; a test in `npm run
// test:package` keeps heavy modules out of dist/extension.js and its size under the limit.
//
// The CLI is built the same way: `dist/cli.js` holds the command table, and each subcommand
// (`require('./fetch')` in src/cli/main.ts) is a lazy bundle, so `s3-hooks fetch` parses what
// fetching needs and not the AWS SDK. Measured: the one unminified 1.9 MB dist/cli.js spent about
// 80 ms compiling and reading itself at every start (`node --cpu-prof dist/cli.js fetch --help`),
// about 5% of a 1 GiB download over loopback.
import * as esbuild from 'esbuild';
import { chmod, writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  // Prefer ES module builds: jsonc-parser's UMD build requires './impl/*' dynamically, which esbuild cannot bundle.
  mainFields: ['module', 'main'],
  // import() becomes require(): a lazy bundle loads through the extension host's CommonJS loader like the main one.
  supported: { 'dynamic-import': false },
};

/** `src/core/download/index.ts` → `lazy-core-download-index` (a flat name: every bundle sits next to extension.js). */
function lazyName(file) {
  return `lazy-${relative('src', file).replace(/\.[cm]?tsx?$/, '').replace(/[\\/]/g, '-')}`;
}

/** Marks relative `import()`/`require()` calls external, pointing at the lazy bundle that `entries` collects. */
function lazyBoundaries(entries) {
  return {
    name: 'lazy-boundaries',
    setup(build) {
      build.onResolve({ filter: /^\./ }, async (args) => {
        if (args.kind !== 'dynamic-import' && args.kind !== 'require-call') {
          return undefined;
        }
        const resolved = await build.resolve(args.path, { kind: 'import-statement', resolveDir: args.resolveDir });
        if (resolved.errors.length > 0 || !resolved.path.startsWith(resolve('src'))) {
          return undefined;
        }
        const name = lazyName(relative(process.cwd(), resolved.path));
        entries.set(name, resolved.path);
        return { path: `./${name}.js`, external: true };
      });
    },
  };
}

const extensionOptions = (entryPoints, entries) => ({
  ...common,
  entryPoints,
  outdir: 'dist',
  external: ['vscode'],
  minify: true,
  // Readable names in stack traces and in `err.name` checks, at a few KB.
  keepNames: true,
  metafile: true,
  plugins: [lazyBoundaries(entries)],
});

/**
 * Builds dist/extension.js, dist/cli.js and every lazy bundle they (or a lazy bundle) load, until
 * no new boundary turns up; writes the merged metafile. The CLI's first line (`#!/usr/bin/env node`)
 * comes from src/cli/main.ts, which esbuild keeps.
 */
async function buildExtension() {
  const entries = new Map();
  const built = new Set();
  const metafile = { inputs: {}, outputs: {} };
  let pending = { extension: 'src/extension.ts', cli: 'src/cli/main.ts' };
  while (Object.keys(pending).length > 0) {
    const result = await esbuild.build(extensionOptions(pending, entries));
    Object.assign(metafile.inputs, result.metafile.inputs);
    Object.assign(metafile.outputs, result.metafile.outputs);
    for (const name of Object.keys(pending)) {
      built.add(name);
    }
    pending = Object.fromEntries([...entries].filter(([name]) => !built.has(name)));
  }
  await writeFile('dist/extension.meta.json', JSON.stringify(metafile));
  return { entries };
}

if (watch) {
  // The lazy bundles found at start are watched; a new boundary needs a restart of the watch.
  const { entries } = await buildExtension();
  const contexts = await Promise.all([
    esbuild.context({ ...extensionOptions({ extension: 'src/extension.ts', cli: 'src/cli/main.ts' }, new Map()), logLevel: 'info' }),
    ...[...entries].map(([name, file]) => esbuild.context({ ...extensionOptions({ [name]: file }, new Map()), logLevel: 'info' })),
  ]);
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  const { entries } = await buildExtension();
  await chmod('dist/cli.js', 0o755);
  console.log(`Built dist/extension.js, dist/cli.js and ${entries.size} lazy bundles beside them.`);
}
