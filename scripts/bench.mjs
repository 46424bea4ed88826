// `npm run bench`: runs every benchmark section in scripts/bench/<name>.mjs (each also runs on its
// own: `node scripts/bench/<name>.mjs`). A section is a file there that, run directly, prints its
// figures and exits 0 when its targets are met. Adding a section = adding a file.
// Usage: node scripts/bench.mjs [--only download|listener[,...]] [section options, passed to each]
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('./bench/', import.meta.url));
/** Sections in this order first (download, then listener); any other file after them. */
const preferred = ['download', 'listener'];
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.mjs'))
  .map((f) => f.slice(0, -'.mjs'.length))
  .sort((a, b) => (preferred.indexOf(a) + 1 || 99) - (preferred.indexOf(b) + 1 || 99) || a.localeCompare(b));

const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? (args[onlyAt + 1] ?? '').split(',').filter(Boolean) : undefined;
const passOn = onlyAt >= 0 ? [...args.slice(0, onlyAt), ...args.slice(onlyAt + 2)] : args;
const unknown = (only ?? []).filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`Unknown benchmark section ${unknown.join(', ')}; there are: ${available.join(', ')}.`);
  process.exit(2);
}
const sections = only ? available.filter((name) => only.includes(name)) : available;

function runSection(name) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(dir, `${name}.mjs`), ...passOn], { stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

const results = [];
for (const name of sections) {
  console.log(`\n== ${name} ==`);
  results.push({ name, code: await runSection(name) });
}
console.log(`\n${results.map((r) => `${r.name}: ${r.code === 0 ? 'targets met' : 'targets missed or failed'}`).join('; ')}`);
process.exitCode = results.every((r) => r.code === 0) ? 0 : 1;
