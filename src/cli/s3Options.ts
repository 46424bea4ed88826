import type { S3Connection } from '../core/s3/connection';
import { expiryArgument, signingDateArgument } from '../core/presign/commandArgs';
// Types only: importing presignPut's values would load the AWS SDK into every command that takes S3 options (fetch).
import type { PresignError, PresignWarning } from '../core/presign/presignPut';
import { CliError, ExitCode, type CliContext } from './cliSupport';

/** Options shared by every subcommand that signs S3 requests (for parseOptions). */
export const s3OptionConfig = {
  region: { type: 'string' },
  endpoint: { type: 'string' },
  'path-style': { type: 'boolean' },
  profile: { type: 'string' },
} as const;

/** The S3 options plus `--bucket` and `--key`: the subcommands about one object. */
export const objectOptionConfig = {
  ...s3OptionConfig,
  bucket: { type: 'string' },
  key: { type: 'string' },
} as const;

/** `--help` lines for {@link s3OptionConfig}. */
export const s3OptionsHelp = [
  'S3 options:',
  '  --region R              region to sign for; default $AWS_REGION, $AWS_DEFAULT_REGION, else us-east-1',
  '  --endpoint URL          an S3-compatible service (https://hb.bizmrg.com, http://127.0.0.1:9000); default AWS S3',
  '  --path-style            path-style addressing (endpoint/bucket/key), which most S3-compatible services need',
  '  --profile P             AWS profile to take credentials from; default the standard chain',
  '',
  'Credentials come from the standard AWS chain: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
  '(with AWS_SESSION_TOKEN for temporary ones), AWS_PROFILE or --profile in ~/.aws/config and',
  '~/.aws/credentials, SSO, credential_process, and container or instance roles.',
].join('\n');

/** The connection the S3 options describe. */
export function connectionFromOptions(values: { region?: string; endpoint?: string; 'path-style'?: boolean; profile?: string }, ctx: CliContext): S3Connection {
  return {
    region: values.region || ctx.env.AWS_REGION || ctx.env.AWS_DEFAULT_REGION || 'us-east-1',
    endpoint: values.endpoint || undefined,
    forcePathStyle: values['path-style'] ?? false,
    profile: values.profile || undefined,
  };
}

/** `--expires` (seconds, or 90m/36h/7d), default 24 hours. */
export function expiryOption(text: string | undefined): number {
  try {
    return expiryArgument(text, 86_400);
  } catch (err) {
    throw new CliError((err as Error).message, ExitCode.badInput);
  }
}

/** `--signing-date` as an ISO 8601 instant (core's rule, shared with the commands' argument objects). */
export function signingDateOption(text: string | undefined): Date | undefined {
  try {
    return signingDateArgument(text);
  } catch (err) {
    throw new CliError(`--signing-date ${(err as Error).message}`, ExitCode.usage);
  }
}

/** Turns core's presign failures into CLI errors with the right exit code. */
function asCliError(err: unknown): unknown {
  if (err instanceof Error && err.name === 'PresignError') {
    const presignError = err as PresignError;
    return new CliError(presignError.message, presignError.kind === 'credentials' ? ExitCode.credentials : ExitCode.badInput);
  }
  return err;
}

/**
 * How every signing command ends: `signAndPrint` signs and writes the result to stdout, then its
 * warnings go to stderr, one per line (stdout stays the machine-readable result), and the command
 * exits 0. Core's presign failures become CLI errors with their exit code.
 */
export async function printSigned(ctx: CliContext, signAndPrint: () => Promise<PresignWarning[]>): Promise<number> {
  try {
    for (const w of await signAndPrint()) {
      ctx.stderr.write(`warning: ${w.message}\n`);
    }
    return ExitCode.ok;
  } catch (err) {
    throw asCliError(err);
  }
}

/** The --bucket and --key every single-object command requires. */
export function requireObject(values: { bucket?: string; key?: string }, command: string): { bucket: string; key: string } {
  if (values.bucket === undefined || values.key === undefined) {
    throw new CliError(`${values.bucket === undefined ? '--bucket' : '--key'} is required. Run 's3-hooks ${command} --help' for the options.`, ExitCode.usage);
  }
  return { bucket: values.bucket, key: values.key };
}

/** Prints `help` when the arguments ask for it; true when it did (the command then exits 0). */
export function printedHelp(args: string[], ctx: CliContext, help: string): boolean {
  if (!wantsHelp(args)) {
    return false;
  }
  ctx.stdout.write(`${help}\n`);
  return true;
}

/** True when the arguments ask for help. */
export function wantsHelp(args: string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}
