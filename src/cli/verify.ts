import { readGivenSignature } from '../core/confirmation/answer';
import { confirmationSignature, verifyConfirmationSignature } from '../core/confirmation/signature';
import { CliError, ExitCode, parseOptions, type CliCommand, type CliContext } from './cliSupport';
import { confirmationInput, confirmationOptionConfig } from './sign';

const help = `Usage: s3-hooks verify --url U --signature S --topic-arn A --timestamp T --token K
       s3-hooks verify --url U --signature S --event confirmation.json
       s3-hooks verify --url U --signature S < confirmation.json

Checks a SubscriptionConfirmation signature (see 's3-hooks sign --help'):
exits 0 when it matches, 7 (mismatch) when it does not.

Options:
  --url U            the URL exactly as registered in the bucket's webhook configuration (required)
  --signature S      the signature to check: 64 hex characters, or an answer body {"signature":"…"} (required)
  --topic-arn A, --timestamp T, --token K, --event FILE   as for 's3-hooks sign'
  -h, --help         show this help`;

function signatureOption(text: string): string {
  const read = readGivenSignature(text);
  if (!read.ok) {
    throw new CliError(`--signature: ${read.problem}.`, ExitCode.badInput);
  }
  return read.signature;
}

async function run(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseOptions({
    args,
    options: { ...confirmationOptionConfig, signature: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    ctx.stdout.write(`${help}\n`);
    return ExitCode.ok;
  }
  if (values.url === undefined || values.signature === undefined) {
    throw new CliError(`${values.url === undefined ? '--url' : '--signature'} is required. Run 's3-hooks verify --help'.`, ExitCode.usage);
  }
  const signature = signatureOption(values.signature);
  if (!/^[0-9a-fA-F]{64}$/.test(signature)) {
    throw new CliError('--signature must be 64 hex characters (or {"signature":"…"}).', ExitCode.badInput);
  }
  const { fields } = await confirmationInput(values, ctx, 'verify');
  const all = { ...fields, url: values.url };
  if (verifyConfirmationSignature(all, signature)) {
    ctx.stdout.write('signature matches\n');
    return ExitCode.ok;
  }
  ctx.stdout.write(`signature does not match: for this URL it would be ${confirmationSignature(all)}\n`);
  ctx.stderr.write('Check that --url is exactly the URL registered with the provider (scheme, host, path, trailing slash).\n');
  return ExitCode.mismatch;
}

/** `s3-hooks verify`: check a confirmation signature. */
export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'check a SubscriptionConfirmation signature; exit 7 on mismatch',
  run,
};
