// `npm run fuzz [-- <seed>] [-- --runs N]`: the property tests of test/unit/fuzz/ (the same ones
// `npm test` runs with a fixed seed and few cases), with a random seed that is printed first and
// N times as many cases (default 100). A failure prints the counterexample; run again with the
// printed seed to replay it.
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const scale = runsAt >= 0 ? Number(args[runsAt + 1]) : 100;
const seedArg = args.find((a, i) => /^-?\d+$/.test(a) && i !== runsAt + 1);
const seed = seedArg ?? String(randomInt(2 ** 31));
if (!Number.isFinite(scale) || scale <= 0) {
  console.error('--runs takes a positive number: how many times the npm test case count to run.');
  process.exit(2);
}

console.log(`fuzz: seed ${seed}, ${scale}x the npm test case counts (replay: npm run fuzz -- ${seed} --runs ${scale})`);
const child = spawn('npx', ['mocha', '--timeout', '0', 'test/unit/fuzz/**/*.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, S3_HOOKS_FUZZ_SEED: seed, S3_HOOKS_FUZZ_RUNS: String(scale * 100) },
});
child.on('exit', (code, signal) => {
  if (code !== 0) {
    console.log(`fuzz: failed with seed ${seed}; replay with: npm run fuzz -- ${seed} --runs ${scale}`);
  }
  process.exit(code ?? (signal ? 1 : 0));
});
