#!/usr/bin/env node
import { getEventListeners } from 'node:events';
import { productName, productVersion } from '../core/version';
import { ExitCode, isCliError, type CliCommand, type CliContext } from './cliSupport';
import { errorText } from '../core/errorText';

/**
 * A subcommand whose module loads only when it runs (or for --help): a command
 * then does not pay for the others' dependencies. The AWS SDK, which the
 * presign commands load, adds about 60 ms and 20 MB to start-up, about 8% of
 * `s3-hooks fetch` on a 1 GiB presigned URL, which never needs it.
 */
function lazy(name: string, load: () => CliCommand): CliCommand {
  return {
    name,
    get summary() {
      return load().summary;
    },
    run: (args, ctx) => load().run(args, ctx),
  };
}

/* eslint-disable @typescript-eslint/no-require-imports */
/** Subcommands, in the order `--help` lists them. Later capabilities add theirs here (name, then a require). */
const commands: CliCommand[] = [
  lazy('presign put', () => (require('./presign') as typeof import('./presign')).presignPutCommand),
  lazy('presign get', () => (require('./presignObject') as typeof import('./presignObject')).presignGetCommand),
  lazy('presign post', () => (require('./presignObject') as typeof import('./presignObject')).presignPostCommand),
  lazy('callback voicebase', () => (require('./callback') as typeof import('./callback')).voiceBaseCallbackCommand),
  lazy('sign', () => (require('./sign') as typeof import('./sign')).signCommand),
  lazy('verify', () => (require('./verify') as typeof import('./verify')).verifyCommand),
  lazy('listen', () => (require('./listen') as typeof import('./listen')).listenCommand),
  lazy('fetch', () => (require('./fetch') as typeof import('./fetch')).fetchCommand),
  lazy('deliveries', () => (require('./deliveries') as typeof import('./deliveries')).deliveriesCommand),
];
/* eslint-enable @typescript-eslint/no-require-imports */

function usage(): string {
  const lines = [
    `${productName} ${productVersion}: presigned S3 callbacks, event files and webhooks from the command line.`,
    '',
    'Usage: s3-hooks <command> [options]',
    '       s3-hooks <command> --help',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(22)} ${c.summary}`),
    '',
    'Options:',
    '  -h, --help             show this help',
    '  -v, --version          print the version',
    '',
    'Exit codes:',
    ...Object.entries(ExitCode).map(([name, code]) => `  ${String(code).padEnd(3)} ${name}`),
  ];
  return lines.join('\n');
}

/** Runs the CLI with the given arguments; resolves to the process exit code. */
export async function main(argv: string[], ctx: CliContext): Promise<number> {
  const first = argv[0];
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    ctx.stdout.write(usage() + '\n');
    return first === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (first === '-v' || first === '--version') {
    ctx.stdout.write(`${productVersion}\n`);
    return ExitCode.ok;
  }
  // A command may have a two-word name ("presign put"): match the longest.
  const command = commands
    .filter((c) => {
      const words = c.name.split(' ');
      return words.every((w, i) => argv[i] === w);
    })
    .sort((a, b) => b.name.length - a.name.length)[0];
  if (!command) {
    ctx.stderr.write(`s3-hooks: unknown command '${first}'. Run 's3-hooks --help' for the list.\n`);
    return ExitCode.usage;
  }
  const args = argv.slice(command.name.split(' ').length);
  try {
    return await command.run(args, ctx);
  } catch (err) {
    if (isCliError(err)) {
      ctx.stderr.write(`s3-hooks ${command.name}: ${err.message}\n`);
      return err.exitCode;
    }
    const message = errorText(err);
    ctx.stderr.write(`s3-hooks ${command.name}: ${message}\n`);
    return ExitCode.failure;
  }
}

// Lives in cliSupport.ts so that subcommands can use it without importing this module (a cycle).
export { parseOptions } from './cliSupport';

if (require.main === module) {
  // On Node < 22 the AWS SDK prints a 7-line notice about its own future support policy on the first
  // S3 call; on the command line that is noise around every result (package.json's engines states
  // which Node versions S3 Hooks supports). Set the variable to "false" to see it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // SIGINT/SIGTERM abort ctx.signal: a command that listens for it (listen) shuts down cleanly; one that
  // does not is ended at once, as if there were no handler. A second signal always ends the process.
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted || getEventListeners(controller.signal, 'abort').length === 0) {
      process.exit(128 + (name === 'SIGINT' ? 2 : 15));
    }
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  void main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    signal: controller.signal,
  }).then((code) => {
    process.exitCode = code;
  });
}
