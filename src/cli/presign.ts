import { curlCommand, genericUploadJson, presignPut } from '../core/presign/presignPut';
import { ExitCode, parseOptions, type CliCommand, type CliContext } from './cliSupport';
import { connectionFromOptions, expiryOption, objectOptionConfig, printedHelp, printSigned, requireObject, s3OptionsHelp, signingDateOption } from './s3Options';

const help = `Usage: s3-hooks presign put --bucket B --key K [options]

Prints a presigned PUT URL for s3://B/K. With --content-type the type is signed:
the uploader must then send exactly that Content-Type header. No checksum
parameters are added, so any client can upload to it.

Options:
  --bucket B              bucket name (required)
  --key K                 object key (required), used as given
  --content-type T        Content-Type to sign, for example application/json
  --expires SECONDS       lifetime, 1 to 604800 (7 days); 90m, 36h, 7d also work; default 86400
  --signing-date ISO8601  sign as of this instant, for reproducible output
  --json                  print { "url", "method", "headers", "expiresAt" } instead of the URL
  --curl                  also print, on stderr, a curl command that uploads a file to the URL
  -h, --help              show this help

${s3OptionsHelp}

Warnings (temporary credentials that die before the URL, plain http) go to stderr.

Examples:
  s3-hooks presign put --bucket my-bucket --key results/analytics.json \\
      --content-type application/json --expires 86400
  s3-hooks presign put --bucket demo-bucket --key a.txt --content-type text/plain \\
      --endpoint http://127.0.0.1:9000 --path-style --json`;

async function run(args: string[], ctx: CliContext): Promise<number> {
  if (printedHelp(args, ctx, help)) {
    return ExitCode.ok;
  }
  const { values } = parseOptions({
    args,
    options: {
      ...objectOptionConfig,
      'content-type': { type: 'string' },
      expires: { type: 'string' },
      'signing-date': { type: 'string' },
      json: { type: 'boolean' },
      curl: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  const object = requireObject(values, 'presign put');
  const expiresIn = expiryOption(values.expires);
  const signingDate = signingDateOption(values['signing-date']);
  return printSigned(ctx, async () => {
    const { upload, warnings } = await presignPut(connectionFromOptions(values, ctx), {
      ...object,
      contentType: values['content-type'],
      expiresIn,
      signingDate,
    });
    ctx.stdout.write(values.json ? `${JSON.stringify(genericUploadJson(upload), null, 2)}\n` : `${upload.url}\n`);
    if (values.curl) {
      ctx.stderr.write(`${curlCommand(upload, object.key.split('/').pop())}\n`);
    }
    return warnings;
  });
}

/** `s3-hooks presign put`: one presigned PUT URL. */
export const presignPutCommand: CliCommand = {
  name: 'presign put',
  summary: 'print a presigned S3 PUT URL (signed Content-Type, no checksum parameters)',
  run,
};
