import { readFile } from 'node:fs/promises';
import { allSettled, deliveryTargets, describeDelivery, summarizeDeliveries, type DeliveryResult } from '../core/deliveries/deliveries';
import { loadDeliveryChecker } from '../core/deliveries/loadDeliveryChecker';
import { watchDeliveries } from '../core/deliveries/watch';
import { CliError, ExitCode, parseOptions, type CliCommand, type CliContext } from './cliSupport';
import { connectionFromOptions, printedHelp, s3OptionConfig, s3OptionsHelp } from './s3Options';

const help = `Usage: s3-hooks deliveries <callbacks.json> [--watch] [--json] [S3 options]

Did the vendor deliver? For each presigned PUT URL of a callback document
(VoiceBase publish.callbacks, or { url, method, headers }), HEADs its bucket
and key with your credentials and prints one line:

  pending                  nothing stored yet, the URL still works
  delivered                size, time, the stored Content-Type (and whether it is the signed one)
  expired, not delivered   the URL is dead and nothing arrived

Options:
  --watch                 check again with backoff (2 s doubling to 60 s) until every URL is
                          delivered or expired; prints each delivery as it arrives
  --interval SECONDS      with --watch: the first wait between checks; default 2
  --json                  print the results as a JSON array instead of lines
  -h, --help              show this help

${s3OptionsHelp}

Exit codes: 0 all delivered; 9 some still pending or expired, not delivered;
5 access denied; 8 no credentials; 6 other failures to check.

Example:
  s3-hooks deliveries callbacks.json --watch --profile vendor-results`;

async function readDocument(path: string, ctx: CliContext): Promise<string> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of ctx.stdin) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    }
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(`${path}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}.`, ExitCode.badInput);
  }
}

function exitCodeFor(results: readonly DeliveryResult[]): number {
  const errors = results.filter((r) => r.state === 'error');
  if (errors.some((r) => r.errorKind === 'credentials')) {
    return ExitCode.credentials;
  }
  if (errors.some((r) => r.errorKind === 'accessDenied')) {
    return ExitCode.refused;
  }
  if (errors.length > 0) {
    return ExitCode.network;
  }
  return results.every((r) => r.state === 'delivered') ? ExitCode.ok : ExitCode.notDelivered;
}

async function run(args: string[], ctx: CliContext): Promise<number> {
  if (printedHelp(args, ctx, help)) {
    return ExitCode.ok;
  }
  const { values, positionals } = parseOptions({
    args,
    options: { ...s3OptionConfig, watch: { type: 'boolean' }, json: { type: 'boolean' }, interval: { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length !== 1) {
    throw new CliError("Give one callback document (a file, or - for standard input). Run 's3-hooks deliveries --help' for the options.", ExitCode.usage);
  }
  const interval = values.interval === undefined ? 2 : Number(values.interval);
  if (!Number.isFinite(interval) || interval <= 0 || interval > 600) {
    throw new CliError(`--interval must be a number of seconds from 0 to 600 (got ${values.interval}).`, ExitCode.usage);
  }
  const text = await readDocument(positionals[0], ctx);
  let targets;
  try {
    targets = deliveryTargets(text);
  } catch (err) {
    throw new CliError(`${(err as Error).message}`, ExitCode.badInput);
  }
  const connection = connectionFromOptions(values, ctx);
  const { checkDeliveries } = loadDeliveryChecker();
  const check = () => checkDeliveries(connection, targets);
  let results: DeliveryResult[];
  if (values.watch) {
    let first = true;
    results = await watchDeliveries(check, {
      signal: ctx.signal,
      firstDelayMs: interval * 1000,
      onCheck: (all, newlyDelivered) => {
        if (values.json) {
          return;
        }
        // The full list once, then only what changed: one line per delivery as it arrives.
        const lines = first ? all : newlyDelivered;
        first = false;
        for (const r of lines) {
          ctx.stdout.write(`${describeDelivery(r)}\n`);
        }
      },
    });
    if (!values.json) {
      ctx.stderr.write(`${summarizeDeliveries(results)}${allSettled(results) ? '' : ' (stopped watching)'}\n`);
    }
  } else {
    results = await check();
    if (!values.json) {
      for (const r of results) {
        ctx.stdout.write(`${describeDelivery(r)}\n`);
      }
    }
  }
  if (values.json) {
    ctx.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  }
  return exitCodeFor(results);
}

/** `s3-hooks deliveries`: has each callback of a document been delivered? */
export const deliveriesCommand: CliCommand = {
  name: 'deliveries',
  summary: 'check (or --watch) whether each presigned PUT URL of a callback document was delivered',
  run,
};
