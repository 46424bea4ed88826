import { defaultAnalyticsSections, deliveryFormats } from '../core/presign/contentTypes';
import { defaultKeyTemplate, keyTemplatePlaceholders } from '../core/presign/keyTemplate';
import { buildVoiceBaseCallbacks } from '../core/presign/voicebase';
import { CliError, ExitCode, parseOptions, type CliCommand, type CliContext } from './cliSupport';
import { connectionFromOptions, expiryOption, printedHelp, printSigned, s3OptionConfig, s3OptionsHelp, signingDateOption } from './s3Options';

const contentTypeTable = deliveryFormats
  .map((f) => `  ${`${f.type}${f.variant ? ` ${f.variant}` : ''}`.padEnd(26)}${f.contentType.padEnd(26)}.${f.extension}`)
  .join('\n');

const placeholderHelp = Object.entries(keyTemplatePlaceholders)
  .map(([name, what]) => `  ${`{${name}}`.padEnd(12)}${what}`)
  .join('\n');

const help = `Usage: s3-hooks callback voicebase --bucket B [--key-template T] CALLBACKS [options]

Prints VoiceBase v3 "publish.callbacks" JSON: one callback per result, each with
"method": "PUT" and its own presigned URL that signs the Content-Type VoiceBase
sends for it. Paste it into the job configuration.

Callbacks (at least one):
  --analytics               analytics, the JSON results
  --include a,b,...         analytics sections: metadata, transcript, knowledge, prediction,
                            spotting, streams; default ${defaultAnalyticsSections.join(',')}
  --transcript F[,F...]     one transcript callback per format: json, text, webvtt, srt, dfxp
  --media S[,S...]          one media callback per stream: original, redacted-audio
  --role ARN                IAM role ARN VoiceBase assumes (added to every callback)

Options:
  --bucket B                bucket name (required)
  --key-template T          object keys; default ${defaultKeyTemplate}
  --id ID                   the value of {id} and {uuid}; default a random UUID
  --expires SECONDS         lifetime of every URL, 1 to 604800 (7 days); 36h, 7d also work;
                            default 86400. VoiceBase retries for about 16 hours: allow for it.
  --signing-date ISO8601    sign as of this instant (with --id: reproducible output)
  --curl                    also print, on stderr, a curl command per URL that uploads like VoiceBase
  -h, --help                show this help

Key template placeholders:
${placeholderHelp}

Content-Type signed for each callback (and the key's {ext}):
${contentTypeTable}

${s3OptionsHelp}

Example:
  s3-hooks callback voicebase --bucket my-bucket --key-template 'voicebase/{date}/{id}/{name}.{ext}' \\
      --analytics --transcript srt,webvtt --media original --expires 86400`;

function list(values: string[] | undefined): string[] | undefined {
  return values?.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

async function run(args: string[], ctx: CliContext): Promise<number> {
  if (printedHelp(args, ctx, help)) {
    return ExitCode.ok;
  }
  const { values } = parseOptions({
    args,
    options: {
      ...s3OptionConfig,
      bucket: { type: 'string' },
      'key-template': { type: 'string' },
      id: { type: 'string' },
      analytics: { type: 'boolean' },
      include: { type: 'string', multiple: true },
      transcript: { type: 'string', multiple: true },
      media: { type: 'string', multiple: true },
      role: { type: 'string' },
      expires: { type: 'string' },
      'signing-date': { type: 'string' },
      curl: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  const bucket = values.bucket;
  if (bucket === undefined) {
    throw new CliError("--bucket is required. Run 's3-hooks callback voicebase --help' for the options.", ExitCode.usage);
  }
  if (values.include && !values.analytics) {
    throw new CliError('--include chooses the sections of the analytics callback: add --analytics.', ExitCode.usage);
  }
  if (!values.analytics && !values.transcript && !values.media) {
    throw new CliError('Choose at least one callback: --analytics, --transcript FORMAT or --media STREAM.', ExitCode.usage);
  }
  const expiresIn = expiryOption(values.expires);
  const signingDate = signingDateOption(values['signing-date']);
  return printSigned(ctx, async () => {
    const result = await buildVoiceBaseCallbacks(connectionFromOptions(values, ctx), {
      bucket,
      keyTemplate: values['key-template'] ?? defaultKeyTemplate,
      analytics: values.analytics ? { include: list(values.include) } : undefined,
      transcriptFormats: list(values.transcript),
      mediaStreams: list(values.media),
      role: values.role,
      expiresIn,
      signingDate,
      id: values.id,
    });
    ctx.stdout.write(`${JSON.stringify(result.json, null, 2)}\n`);
    if (values.curl) {
      for (const c of result.callbacks) {
        ctx.stderr.write(`# ${c.label} → s3://${c.upload.bucket}/${c.key}\n${c.curl}\n`);
      }
    }
    return result.warnings;
  });
}

/** `s3-hooks callback voicebase`: VoiceBase v3 publish.callbacks with presigned PUT URLs. */
export const voiceBaseCallbackCommand: CliCommand = {
  name: 'callback voicebase',
  summary: 'print VoiceBase v3 publish.callbacks JSON with presigned PUT URLs',
  run,
};
