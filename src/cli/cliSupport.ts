import { parseArgs } from 'node:util';
import { errorText } from '../core/errorText';

/** Exit codes of the s3-hooks CLI; documented in --help and README. */
export const ExitCode = {
  /** Success. */
  ok: 0,
  /** Something unexpected went wrong. */
  failure: 1,
  /** Bad command-line arguments. */
  usage: 2,
  /** Bad input: malformed JSON, no file reference, invalid bucket name or key. */
  badInput: 3,
  /** The presigned link had expired (checked before any request where possible). */
  expired: 4,
  /** The server refused: 403 (signature, access), 404 (no such key) or another 4xx. */
  refused: 5,
  /** Network failure: connection refused or dropped, timeouts, 5xx after retries. */
  network: 6,
  /** A signature did not verify. */
  mismatch: 7,
  /** No usable credentials were found. */
  credentials: 8,
  /** deliveries: some callbacks are still pending, or expired without a delivery. */
  notDelivered: 9,
} as const;

/** An error whose message is meant for the user, with the exit code to end on. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.failure,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * Whether `err` is a {@link CliError}, by shape: each subcommand is its own lazy bundle
 * (scripts/build.mjs) with its own copy of the class, so `instanceof` fails across them.
 */
export function isCliError(err: unknown): err is CliError {
  return err instanceof Error && err.name === 'CliError' && typeof (err as Partial<CliError>).exitCode === 'number';
}

/** What a subcommand may touch: streams and environment, so tests can run it in-process. */
export interface CliContext {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT/SIGTERM by the real entry point. */
  signal?: AbortSignal;
}

/** One subcommand: its name (one or two words), a one-line summary, and its runner. */
export interface CliCommand {
  name: string;
  summary: string;
  run(args: string[], ctx: CliContext): Promise<number>;
}

/** Parses options with node:util's parseArgs, turning its errors into usage errors. */
export function parseOptions<T extends NonNullable<Parameters<typeof parseArgs>[0]>>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    throw new CliError(errorText(err), ExitCode.usage);
  }
}
