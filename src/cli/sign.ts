import { readFile } from 'node:fs/promises';
import { confirmationAnswer } from '../core/confirmation/answer';
import { confirmationSignature, type ConfirmationRequestFields } from '../core/confirmation/signature';
import { parseEventJson } from '../core/events';
import { readVkConfirmation } from '../core/events/shapes';
import { CliError, ExitCode, parseOptions, type CliCommand, type CliContext } from './cliSupport';

const help = `Usage: s3-hooks sign --url U --topic-arn A --timestamp T --token K
       s3-hooks sign --url U --event confirmation.json
       s3-hooks sign --url U < confirmation.json

Computes the signature a VK Cloud / LinxCloud / Hotbox bucket webhook must
answer its SubscriptionConfirmation with:

  k1 = HMAC-SHA256(key = Token, message = Timestamp)
  k2 = HMAC-SHA256(key = k1, message = TopicArn)
  signature = hex(HMAC-SHA256(key = k2, message = Url))

With the four fields as options it prints the hex signature. With a
confirmation JSON (--event FILE, or on standard input) it prints the answer
body, {"signature":"<hex>"}. Values are used byte for byte.

Options:
  --url U            the URL exactly as registered in the bucket's webhook configuration (required)
  --topic-arn A      TopicArn of the confirmation
  --timestamp T      Timestamp of the confirmation, exactly as sent
  --token K          Token of the confirmation
  --event FILE       read TopicArn, Timestamp and Token from a confirmation JSON file
  -h, --help         show this help`;

/** Options shared by sign and verify. */
export const confirmationOptionConfig = {
  url: { type: 'string' },
  'topic-arn': { type: 'string' },
  timestamp: { type: 'string' },
  token: { type: 'string' },
  event: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The confirmation fields from the options, else from `--event FILE`, else
 * from standard input. `fromJson` says whether a JSON document was read.
 */
export async function confirmationInput(
  values: { 'topic-arn'?: string; timestamp?: string; token?: string; event?: string },
  ctx: CliContext,
  command: string,
): Promise<{ fields: ConfirmationRequestFields; fromJson: boolean }> {
  const given = [values['topic-arn'], values.timestamp, values.token];
  if (given.every((v) => v !== undefined)) {
    return { fields: { topicArn: values['topic-arn']!, timestamp: values.timestamp!, token: values.token! }, fromJson: false };
  }
  if (given.some((v) => v !== undefined)) {
    throw new CliError('--topic-arn, --timestamp and --token go together (or give a confirmation JSON with --event or on standard input).', ExitCode.usage);
  }
  let text: string;
  let source: string;
  if (values.event !== undefined) {
    source = values.event;
    try {
      text = await readFile(values.event, 'utf8');
    } catch (err) {
      throw new CliError(`cannot read ${values.event}: ${(err as Error).message}`, ExitCode.badInput);
    }
  } else {
    if ((ctx.stdin as { isTTY?: boolean }).isTTY) {
      throw new CliError(
        `give --topic-arn, --timestamp and --token, or a confirmation JSON with --event FILE or on standard input. Run 's3-hooks ${command} --help'.`,
        ExitCode.usage,
      );
    }
    source = 'standard input';
    text = await readAll(ctx.stdin);
  }
  const parsed = parseEventJson(text);
  if (!parsed.ok) {
    throw new CliError(`${source}: ${parsed.error.message}`, ExitCode.badInput);
  }
  const fields = readVkConfirmation(parsed.value);
  if ('missing' in fields) {
    throw new CliError(`${source} is not a subscription confirmation: it has no string ${fields.missing.join(', ')}.`, ExitCode.badInput);
  }
  return { fields: fields.fields, fromJson: true };
}

async function run(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseOptions({ args, options: confirmationOptionConfig, strict: true, allowPositionals: false });
  if (values.help) {
    ctx.stdout.write(`${help}\n`);
    return ExitCode.ok;
  }
  if (values.url === undefined) {
    throw new CliError("--url is required: the URL exactly as registered with the provider. Run 's3-hooks sign --help'.", ExitCode.usage);
  }
  const { fields, fromJson } = await confirmationInput(values, ctx, 'sign');
  const signature = confirmationSignature({ ...fields, url: values.url });
  ctx.stdout.write(`${fromJson ? confirmationAnswer(signature) : signature}\n`);
  return ExitCode.ok;
}

/** `s3-hooks sign`: the VK Cloud confirmation signature. */
export const signCommand: CliCommand = {
  name: 'sign',
  summary: 'compute a bucket-webhook SubscriptionConfirmation signature (VK Cloud, LinxCloud, Hotbox)',
  run,
};
