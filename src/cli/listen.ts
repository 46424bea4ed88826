import { networkInterfaces } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fetchReference } from '../core/download';
import { redactUrlsInText } from '../core/redact';
import { EventHistory } from '../core/listener/eventHistory';
import { allowedHosts, AutoFetchBudget, autoFetchRefusal, byteLimits, type AutoFetchLimits } from '../core/listener/autoFetchPolicy';
import { isLoopbackHost, reachableUrls } from '../core/listener/reachableAt';
import { listenerDefaults } from '../core/defaults';
import { ListenerStartError, WebhookListener } from '../core/listener/webhookListener';
import { autoFetchSkipReason, eventFileReferences, type WebhookEvent } from '../core/listener/webhookEvent';
import { CliError, ExitCode, parseOptions, type CliCommand, type CliContext } from './cliSupport';
import { connectionFromOptions, s3OptionConfig, s3OptionsHelp } from './s3Options';
import { verdictText } from '../core/webhookSignatures';
import type { RunningTunnel } from '../core/tunnel';
import { deliveryFromOptions, deliveryOptionConfig, deliveryOptionsHelp, startCliTunnel } from './listenDelivery';
import { errorText } from '../core/errorText';

const help = `Usage: s3-hooks listen [--host H] [--port P] [--public-url U] [--history FILE] [--fetch DIR]

Runs the S3 Hooks webhook listener in the terminal: every request (any method,
any path) is stored as one JSON line in the history file, and answered only
after that write. Bucket webhook confirmations (VK Cloud, LinxCloud, Hotbox)
are answered with their signature; AWS SNS messages are verified. One line per
event goes to standard output; the bound URL and messages go to standard error.
Ctrl+C (SIGINT) or SIGTERM stops it cleanly, with the history flushed.

Options:
  --host H             address to bind (default 127.0.0.1; 0.0.0.0 = every interface: every
                       address it is then reachable at is printed, with a warning)
  --port P             port (default ${listenerDefaults.port}; 0 = any free port)
  --public-url U       the URL the provider calls (your tunnel's address), for confirmation signatures
  --history FILE       history file (default ./webhook-events.jsonl); bodies that are files
                       go to FILE's folder, under <name>.received/
  --fetch DIR          download the files events point at into DIR: presigned URLs only from
                       AWS S3 hosts, the --endpoint host and --fetch-host; S3 objects (with the
                       S3 options below) only from --fetch-bucket; one line per file on stderr
  --fetch-host H       also fetch presigned URLs from host H (*.example.com: any subdomain); repeatable
  --fetch-bucket B     fetch S3 objects of bucket B with your credentials; repeatable
  --status N           answer ordinary events with status N (default 200), to test retries
  --body-limit BYTES   largest body accepted (default ${listenerDefaults.bodyLimit}); larger gets 413
  --cap N              events kept in the history (default ${listenerDefaults.historyCap}; the file is rotated beyond)
  --sns-auto-confirm   confirm AWS SNS subscriptions (GET SubscribeURL) once verified
  --json               print each event as its full JSON record instead of a summary line
  -h, --help           show this help

${deliveryOptionsHelp}

${s3OptionsHelp}

Expose the port to a provider with a tunnel, e.g. for the default port:
  cloudflared tunnel --url http://127.0.0.1:${listenerDefaults.port}
  ngrok http ${listenerDefaults.port}
  ssh -R 80:127.0.0.1:${listenerDefaults.port} nokey@localhost.run
and pass the URL you register with the provider (the tunnel's https address
and your path) as --public-url.`;

function intOption(text: string | undefined, name: string, min: number, max: number): number | undefined {
  if (text === undefined) {
    return undefined;
  }
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new CliError(`${name} must be a whole number from ${min} to ${max}.`, ExitCode.usage);
  }
  return n;
}

/** A repeatable option, each value also split at commas. */
function listOption(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

/** One line for an event: time, status, method, path, kind, label, id. */
export function eventLine(event: WebhookEvent): string {
  const path = event.query ? `${event.path}?${event.query}` : event.path;
  const flags = [
    event.duplicateOf ? `duplicate of ${event.duplicateOf}` : '',
    event.signature ? `${verdictText(event.signature)}${event.signature.detail ? `: ${event.signature.detail}` : ''}` : '',
    event.answeredBy ? `answered by rule ${event.answeredBy}` : '',
    event.error ?? '',
    ...(event.warnings ?? []),
  ].filter(Boolean);
  return `${event.receivedAt} ${event.status} ${event.method} ${path} ${event.kind} "${event.label}" ${event.id}${flags.length ? ` (${flags.join('; ')})` : ''}`;
}

async function run(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseOptions({
    args,
    options: {
      ...s3OptionConfig,
      ...deliveryOptionConfig,
      host: { type: 'string' },
      port: { type: 'string' },
      'public-url': { type: 'string' },
      history: { type: 'string' },
      fetch: { type: 'string' },
      'fetch-host': { type: 'string', multiple: true },
      'fetch-bucket': { type: 'string', multiple: true },
      status: { type: 'string' },
      'body-limit': { type: 'string' },
      cap: { type: 'string' },
      'sns-auto-confirm': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    ctx.stdout.write(`${help}\n`);
    return ExitCode.ok;
  }
  const port = intOption(values.port, '--port', 0, 65535) ?? listenerDefaults.port;
  const status = intOption(values.status, '--status', 200, 599);
  const bodyLimit = intOption(values['body-limit'], '--body-limit', 1, Number.MAX_SAFE_INTEGER);
  const cap = intOption(values.cap, '--cap', 1, 1_000_000) ?? listenerDefaults.historyCap;
  if (values['public-url'] !== undefined && !/^https?:\/\//i.test(values['public-url'])) {
    throw new CliError('--public-url must be an http(s) URL, exactly as registered with the provider.', ExitCode.usage);
  }
  const historyFile = resolve(values.history ?? 'webhook-events.jsonl');
  const receivedDir = join(dirname(historyFile), `${basename(historyFile, extname(historyFile))}.received`);

  const history = new EventHistory({ file: historyFile, cap });
  let loaded: Awaited<ReturnType<EventHistory['load']>>;
  try {
    loaded = await history.load();
  } catch (err) {
    throw new CliError(`cannot read the history ${historyFile}: ${(err as Error).message}`, ExitCode.badInput);
  }
  for (const s of loaded.skipped) {
    ctx.stderr.write(`history ${s.file}:${s.line} skipped: ${s.reason}\n`);
  }
  const delivery = deliveryFromOptions(values, ctx);
  const listener = new WebhookListener({
    delivery,
    host: values.host,
    port,
    publicUrl: values['public-url'],
    answerStatus: status,
    bodyLimit,
    receivedDir,
    history,
    snsAutoConfirm: values['sns-auto-confirm'] ?? false,
    log: (level, message) => {
      if (level !== 'info') {
        ctx.stderr.write(`${level}: ${message}\n`);
      }
    },
  });
  listener.onEvent((event) => {
    ctx.stdout.write(`${values.json ? JSON.stringify(event) : eventLine(event)}\n`);
  });

  // --fetch: one download at a time, in the order events arrived; aborted (a .part left to resume) on shutdown.
  const fetches = new AbortController();
  let fetching: Promise<void> = Promise.resolve();
  if (values.fetch !== undefined) {
    const targetFolder = resolve(values.fetch);
    const connection = connectionFromOptions(values, ctx);
    const limits: AutoFetchLimits = {
      hosts: allowedHosts([...listenerDefaults.autoFetchHosts, ...listOption(values['fetch-host'])], values.endpoint),
      buckets: listOption(values['fetch-bucket']),
      ...byteLimits(listenerDefaults.autoFetchMaxFileMegabytes, listenerDefaults.autoFetchMegabytesPerHour),
    };
    const budget = new AutoFetchBudget();
    listener.onEvent((event) => {
      const skip = autoFetchSkipReason(event);
      if (skip && event.fileReferences) {
        ctx.stderr.write(`not fetching what event ${event.id} points at: ${skip}\n`);
        return;
      }
      for (const reference of eventFileReferences(event)) {
        fetching = fetching.then(async () => {
          if (fetches.signal.aborted) {
            return;
          }
          const refused = autoFetchRefusal(reference, limits, budget.used());
          if (refused) {
            ctx.stderr.write(`not fetching ${reference.label} from event ${event.id}: ${refused}\n`);
            return;
          }
          try {
            // The event's stated size was checked above; maxBytes holds the limit when it states none, or a false one.
            const result = await fetchReference(reference, { targetFolder, connection, signal: fetches.signal, maxBytes: limits.maxFileBytes });
            budget.record(result.bytes);
            ctx.stderr.write(`fetched ${result.path} (${result.bytes} bytes) from event ${event.id}\n`);
          } catch (err) {
            ctx.stderr.write(`fetch of ${reference.label} from event ${event.id} failed: ${redactUrlsInText(errorText(err))}\n`);
          }
        });
      }
    });
  }

  let url: string;
  try {
    url = await listener.start();
  } catch (err) {
    await history.close();
    if (err instanceof ListenerStartError) {
      throw new CliError(err.message, ExitCode.failure);
    }
    throw err;
  }
  ctx.stderr.write(`Listening on ${url} (history: ${historyFile}, ${loaded.loaded} earlier events)\n`);
  const host = values.host ?? listenerDefaults.host;
  if (!isLoopbackHost(host)) {
    const urls = reachableUrls(host, listener.port ?? port, networkInterfaces());
    ctx.stderr.write(`Reachable at ${urls.length > 0 ? urls.join(' ') : host}\n`);
    ctx.stderr.write(
      `warning: bound to ${host}, so events are accepted not only from this computer but from every network those addresses are on. ` +
        'Use --host 127.0.0.1 and a tunnel unless that is what you want.\n',
    );
  }
  let tunnel: RunningTunnel | undefined;
  if (values.tunnel !== undefined) {
    try {
      tunnel = await startCliTunnel(values.tunnel, listener.port ?? port, `${historyFile}.tunnel.log`, ctx);
    } catch (err) {
      await listener.stop();
      await history.close();
      throw err;
    }
    ctx.stderr.write(`Public URL: ${tunnel.publicUrl} (${tunnel.label}; output in ${historyFile}.tunnel.log)\n`);
    if (!values['public-url']) {
      listener.publicUrl = tunnel.publicUrl;
    }
  }
  if (listener.publicUrl) {
    ctx.stderr.write(`Confirmations are signed over ${listener.publicUrl}${listener.publicUrl === tunnel?.publicUrl ? ' plus each request\'s path' : ''}\n`);
  }
  if (delivery?.forwardTo) {
    ctx.stderr.write(`Forwarding to ${delivery.forwardTo} (answer mode: ${delivery.answerMode ?? 'store'})\n`);
  }

  await new Promise<void>((done) => {
    if (!ctx.signal) {
      return;
    }
    if (ctx.signal.aborted) {
      done();
    } else {
      ctx.signal.addEventListener('abort', () => done(), { once: true });
    }
  });
  await tunnel?.stop();
  await listener.stop();
  fetches.abort();
  await fetching;
  await history.close();
  ctx.stderr.write(`Stopped after ${listener.received} events; history flushed to ${historyFile}\n`);
  return ExitCode.ok;
}

/** `s3-hooks listen`: the webhook listener in a terminal. */
export const listenCommand: CliCommand = {
  name: 'listen',
  summary: 'run the webhook listener: store every request, answer confirmations, one line per event',
  run,
};
