import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DownloadError, fetchReference, parallelDefaults, parallelFromSettings, type DownloadErrorKind, type DownloadProgress, type DownloadResult } from '../core/download';
import { referencesFromText, type FileReference } from '../core/events';
import { formatBytes } from '../core/format/units';
import { describeExpiry } from '../core/format/duration';
import { findPutUrls } from '../core/presign/callbackDocument';
import { CliError, ExitCode, parseOptions, type CliCommand, type CliContext } from './cliSupport';
import { connectionFromOptions, s3OptionConfig, s3OptionsHelp, wantsHelp } from './s3Options';
import { errorText } from '../core/errorText';

/** Exit code after Ctrl+C / SIGTERM stopped a download (the shell's 128 + SIGINT). */
const interruptedExit = 130;

const help = `Usage: s3-hooks fetch <event.json | - | URL> [--out DIR] [--all] [--json] [options]

Fetches the file an event points at: a Klavi event's presignedUrl (valid one day
after eventTime), VoiceBase streamLocation URLs, S3 notifications (direct, via SNS
or EventBridge; fetched with your AWS credentials), or any presigned S3 URL in the
JSON. Give a file, - for standard input, or the URL itself. The file is written
as <name>.part and renamed when complete; an existing file is never overwritten
(" (1)" is added). Interrupted downloads are retried and resumed.

Options:
  --out DIR               folder to save into (created when missing); default the current folder
  --all                   fetch every file the event points at; default only the first
  --list                  print what the event points at and fetch nothing
  --json                  print a JSON array of results on stdout instead of the saved paths
  --retries N             retries after a dropped connection, short body or 5xx (0.5 s, 1 s, 2 s… apart); default 4
  --connections N         byte ranges fetched at once for files of ${parallelDefaults.thresholdBytes / 1024 / 1024} MiB or more (1 = one stream); default ${parallelDefaults.connections}
  -h, --help              show this help

${s3OptionsHelp}
(Only S3 notifications need credentials; presigned URLs carry their own.)

Output: the saved paths, one per line, on stdout; progress on stderr when it is a terminal.

Exit codes:
  0    every file was saved
  1    the file could not be written (disk full, read-only folder); nothing is left in place
  2    usage: bad options
  3    bad input: unreadable file, malformed JSON (with line and column), nothing to fetch
  4    expired: the link had expired (checked before any request when the URL says so)
  5    refused: S3 refused (403 signature or access, 404 no such key, other 4xx)
  6    network: connection failed or dropped, short body, 5xx, after retries
  8    credentials: an S3 notification needs AWS credentials and none were found
  130  interrupted (Ctrl+C)
With --all, the exit code is the first failure's.

Examples:
  s3-hooks fetch klavi-event.json --out downloads/
  curl -s https://my-webhook.example/last-event | s3-hooks fetch - --all --json
  s3-hooks fetch 'https://bucket.s3.us-west-2.amazonaws.com/key?X-Amz-Signature=...'
  s3-hooks fetch s3-event.json --endpoint http://127.0.0.1:9000 --path-style`;

const exitCodes: Record<DownloadErrorKind, number> = {
  badInput: ExitCode.badInput,
  expired: ExitCode.expired,
  refused: ExitCode.refused,
  network: ExitCode.network,
  credentials: ExitCode.credentials,
  cancelled: interruptedExit,
  filesystem: ExitCode.failure,
};

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readInput(source: string, ctx: CliContext): Promise<{ text: string; name: string }> {
  if (source === '-') {
    return { text: await readStream(ctx.stdin), name: 'standard input' };
  }
  if (/^https?:\/\//i.test(source)) {
    return { text: source, name: 'the URL' };
  }
  try {
    return { text: await readFile(source, 'utf8'), name: source };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (err as Error).message;
    throw new CliError(`Cannot read ${source}: ${why}.`, ExitCode.badInput);
  }
}

/** One progress line for a terminal: `[#####-----]  45%  120 MB / 267 MB  85 MB/s  name`. */
export function progressLine(name: string, p: DownloadProgress, width = 24): string {
  const rate = `${formatBytes(Math.round(p.rate))}/s`;
  if (p.total && p.total > 0) {
    const fraction = Math.min(1, p.bytes / p.total);
    const filled = Math.round(fraction * width);
    return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}%  ${formatBytes(p.bytes)} / ${formatBytes(p.total)}  ${rate}  ${name}`;
  }
  return `${formatBytes(p.bytes)}  ${rate}  ${name}`;
}

interface Outcome {
  reference: FileReference;
  result?: DownloadResult;
  error?: { kind: DownloadErrorKind | 'failure'; message: string; exitCode: number; partPath?: string };
}

function describeReference(ref: FileReference): string {
  const expiry = ref.expiresAt ? ` · ${describeExpiry(new Date(ref.expiresAt))}` : ref.expiryProblem ? ` · invalid expiry: ${ref.expiryProblem}` : '';
  return `${ref.label}${expiry}${ref.url ? `\n    ${ref.redactedUrl}` : ''}`;
}

async function run(args: string[], ctx: CliContext): Promise<number> {
  if (wantsHelp(args)) {
    ctx.stdout.write(`${help}\n`);
    return ExitCode.ok;
  }
  const { values, positionals } = parseOptions({
    args,
    options: {
      ...s3OptionConfig,
      out: { type: 'string' },
      all: { type: 'boolean' },
      list: { type: 'boolean' },
      json: { type: 'boolean' },
      retries: { type: 'string' },
      connections: { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length !== 1) {
    throw new CliError(
      positionals.length === 0
        ? "Give an event JSON file, - for standard input, or a URL. Run 's3-hooks fetch --help' for the options."
        : `Give one event file or URL (got ${positionals.length}).`,
      ExitCode.usage,
    );
  }
  const input = await readInput(positionals[0], ctx);
  const found = referencesFromText(input.text);
  if (!found.ok) {
    throw new CliError(`${input.name}: ${found.error.message}`, ExitCode.badInput);
  }
  if (found.references.length === 0) {
    const uploads = findPutUrls(input.text).length;
    if (uploads > 0) {
      throw new CliError(
        `${uploads} presigned PUT URL${uploads === 1 ? '' : 's'}: upload targets, nothing to fetch (s3-hooks deliveries ${positionals[0]} shows what was delivered).`,
        ExitCode.badInput,
      );
    }
    throw new CliError(
      `${input.name} points at no file: no presigned URL, Klavi presignedUrl, VoiceBase streamLocation or S3 notification record was found.`,
      ExitCode.badInput,
    );
  }
  if (values.list) {
    if (values.json) {
      const safe = found.references.map(({ url: _url, ...rest }) => rest);
      ctx.stdout.write(`${JSON.stringify(safe, null, 2)}\n`);
    } else {
      ctx.stdout.write(found.references.map((r, i) => `${i + 1}. ${describeReference(r)}`).join('\n') + '\n');
    }
    return ExitCode.ok;
  }
  const retries = values.retries === undefined ? 4 : Number(values.retries);
  if (!Number.isInteger(retries) || retries < 0 || retries > 20) {
    throw new CliError(`--retries must be a whole number from 0 to 20 (got ${values.retries}).`, ExitCode.usage);
  }
  const connections = values.connections === undefined ? parallelDefaults.connections : Number(values.connections);
  if (!Number.isInteger(connections) || connections < 1 || connections > 32) {
    throw new CliError(`--connections must be a whole number from 1 to 32 (got ${values.connections}).`, ExitCode.usage);
  }
  const retryDelaysMs = Array.from({ length: retries }, (_, i) => 500 * 2 ** Math.min(i, 6));
  const chosen = values.all ? found.references : found.references.slice(0, 1);
  if (!values.all && found.references.length > 1) {
    ctx.stderr.write(`${input.name} points at ${found.references.length} files; fetching the first (--all fetches every one, --list shows them).\n`);
  }
  const targetFolder = resolve(values.out ?? '.');
  const connection = connectionFromOptions(values, ctx);
  const tty = (ctx.stderr as NodeJS.WriteStream).isTTY === true;
  const outcomes: Outcome[] = [];
  for (const reference of chosen) {
    if (ctx.signal?.aborted) {
      break;
    }
    let drawn = false;
    try {
      const result = await fetchReference(reference, {
        targetFolder,
        connection,
        signal: ctx.signal,
        retryDelaysMs,
        parallel: parallelFromSettings({ connections }),
        // The CLI's event loop has nothing else to do: writing each piece at once is measurably faster.
        syncWrites: true,
        onProgress: tty
          ? (p) => {
              drawn = true;
              const columns = (ctx.stderr as NodeJS.WriteStream).columns ?? 100;
              ctx.stderr.write(`\r${progressLine(reference.suggestedName, p).slice(0, columns - 1)}\x1b[K`);
            }
          : undefined,
      });
      outcomes.push({ reference, result });
      if (drawn) {
        ctx.stderr.write('\r\x1b[K');
      }
      if (!values.json) {
        ctx.stdout.write(`${result.path}\n`);
      }
    } catch (err) {
      if (drawn) {
        ctx.stderr.write('\r\x1b[K');
      }
      const error =
        err instanceof DownloadError
          ? { kind: err.kind, message: err.message, exitCode: exitCodes[err.kind], partPath: err.details.partPath }
          : { kind: 'failure' as const, message: errorText(err), exitCode: ExitCode.failure };
      outcomes.push({ reference, error });
      ctx.stderr.write(`s3-hooks fetch: ${reference.suggestedName}: ${error.message}\n`);
    }
  }
  if (values.json) {
    const report = outcomes.map(({ reference, result, error }) => ({
      ok: !!result,
      source: reference.label,
      shape: reference.shape,
      url: reference.redactedUrl,
      bucket: reference.bucket,
      key: reference.key,
      eventId: reference.eventId,
      ...(result ? { path: result.path, bytes: result.bytes, attempts: result.attempts, durationMs: Math.round(result.durationMs) } : {}),
      ...(error ? { error: error.message, kind: error.kind, exitCode: error.exitCode, partPath: error.partPath } : {}),
    }));
    ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  }
  const failed = outcomes.find((o) => o.error);
  if (failed?.error) {
    return failed.error.exitCode;
  }
  return ctx.signal?.aborted ? interruptedExit : ExitCode.ok;
}

/** `s3-hooks fetch`: download the file(s) an event JSON points at. */
export const fetchCommand: CliCommand = {
  name: 'fetch',
  summary: 'download the file an event JSON (or a presigned URL) points at',
  run,
};
