import { loadObjectPresigner } from '../core/presign/loadPresigner';
import { formatInstant } from '../core/presign/expiry';
import { CliError, ExitCode, parseOptions, type CliCommand, type CliContext } from './cliSupport';
import { connectionFromOptions, expiryOption, objectOptionConfig, printedHelp, printSigned, requireObject, s3OptionsHelp, signingDateOption } from './s3Options';

const getHelp = `Usage: s3-hooks presign get --bucket B --key K [options]

Prints a presigned GET URL for s3://B/K: share a delivered result, or build a
test event around a real file. Anyone holding the URL can download the object
until it expires.

Options:
  --bucket B                    bucket name (required)
  --key K                       object key (required), used as given
  --expires SECONDS             lifetime, 1 to 604800 (7 days); 90m, 36h, 7d also work; default 86400
  --content-disposition VALUE   S3 answers with this Content-Disposition, e.g. 'attachment; filename="result.srt"'
  --signing-date ISO8601        sign as of this instant, for reproducible output
  --json                        print { "url", "expiresAt" } instead of the URL
  -h, --help                    show this help

${s3OptionsHelp}

Example:
  s3-hooks presign get --bucket my-bucket --key results/transcript.srt --expires 1h`;

const postHelp = `Usage: s3-hooks presign post --bucket B --key K [options]

Prints a presigned POST policy for s3://B/K: an HTML form upload that S3 accepts
only up to --max-size bytes (content-length-range, which a PUT URL cannot cap)
and, with --content-type, only with that Content-Type. Prints the form's URL and
fields, and a curl command that uploads a file with them (the file goes last).

Options:
  --bucket B              bucket name (required)
  --key K                 object key (required); a key ending in \${filename} takes the uploaded file's name
  --content-type T        the Content-Type the form must send
  --max-size BYTES        the largest upload S3 accepts
  --expires SECONDS       lifetime of the policy, 1 to 604800 (7 days); 90m, 36h, 7d also work; default 86400
  --json                  print { "url", "fields" } exactly as the AWS SDK returns them
  -h, --help              show this help

${s3OptionsHelp}

Example:
  s3-hooks presign post --bucket my-bucket --key uploads/recording.wav \\
      --content-type audio/wav --max-size 104857600 --expires 1h`;

async function runGet(args: string[], ctx: CliContext): Promise<number> {
  if (printedHelp(args, ctx, getHelp)) {
    return ExitCode.ok;
  }
  const { values } = parseOptions({
    args,
    options: {
      ...objectOptionConfig,
      expires: { type: 'string' },
      'content-disposition': { type: 'string' },
      'signing-date': { type: 'string' },
      json: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  const object = requireObject(values, 'presign get');
  const expiresIn = expiryOption(values.expires);
  const signingDate = signingDateOption(values['signing-date']);
  return printSigned(ctx, async () => {
    const get = await loadObjectPresigner().presignGet(connectionFromOptions(values, ctx), {
      ...object,
      expiresIn,
      signingDate,
      contentDisposition: values['content-disposition'],
    });
    ctx.stdout.write(values.json ? `${JSON.stringify({ url: get.url, expiresAt: formatInstant(get.expiresAt) }, null, 2)}\n` : `${get.url}\n`);
    return get.warnings;
  });
}

async function runPost(args: string[], ctx: CliContext): Promise<number> {
  if (printedHelp(args, ctx, postHelp)) {
    return ExitCode.ok;
  }
  const { values } = parseOptions({
    args,
    options: {
      ...objectOptionConfig,
      'content-type': { type: 'string' },
      'max-size': { type: 'string' },
      expires: { type: 'string' },
      json: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  const object = requireObject(values, 'presign post');
  const expiresIn = expiryOption(values.expires);
  const maxSize = values['max-size'] === undefined ? undefined : Number(values['max-size']);
  if (maxSize !== undefined && (!Number.isSafeInteger(maxSize) || maxSize < 1)) {
    throw new CliError(`--max-size must be a whole number of bytes, at least 1 (got ${values['max-size']}).`, ExitCode.usage);
  }
  return printSigned(ctx, async () => {
    const presigner = loadObjectPresigner();
    const post = await presigner.presignPost(connectionFromOptions(values, ctx), { ...object, contentType: values['content-type'], maxSize, expiresIn });
    if (values.json) {
      ctx.stdout.write(`${JSON.stringify({ url: post.url, fields: post.fields }, null, 2)}\n`);
    } else {
      const lines = [
        `POST ${post.url}`,
        `(policy expires at ${formatInstant(post.expiresAt)}${maxSize !== undefined ? `, uploads up to ${maxSize} bytes` : ''})`,
        '',
        'Form fields (send them all, then the file as the last field "file"):',
        ...Object.entries(post.fields).map(([name, value]) => `  ${name}: ${value}`),
        '',
        'curl:',
        presigner.postCurlCommand(post, object.key.split('/').pop()?.replace('${filename}', 'result.json')),
      ];
      ctx.stdout.write(`${lines.join('\n')}\n`);
    }
    return post.warnings;
  });
}

/** `s3-hooks presign get`: one presigned GET URL. */
export const presignGetCommand: CliCommand = {
  name: 'presign get',
  summary: 'print a presigned S3 GET URL (optionally with a Content-Disposition)',
  run: runGet,
};

/** `s3-hooks presign post`: a presigned POST policy with a size cap. */
export const presignPostCommand: CliCommand = {
  name: 'presign post',
  summary: 'print a presigned S3 POST form (URL, fields, curl) capped by --max-size',
  run: runPost,
};
