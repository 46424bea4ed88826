import { createWriteStream } from 'node:fs';
import { AnswerRules } from '../core/answerRules/answerRules';
import { appAnswerSummary, forwardToProblem } from '../core/forward';
import { answerModes, type AnswerMode, type DeliveryOptions } from '../core/listener/deliveryOptions';
import type { WebhookEvent } from '../core/listener/webhookEvent';
import { parseTunnelSpec, startTunnel, TunnelError, type RunningTunnel } from '../core/tunnel';
import { parseSigningSecret, redactSecretRule } from '../core/webhookSignatures';
import { CliError, ExitCode, type CliContext } from './cliSupport';

/** The `listen` options for testing a webhook handler, in parseArgs form. */
export const deliveryOptionConfig = {
  'forward-to': { type: 'string' },
  'answer-mode': { type: 'string' },
  answer: { type: 'string', multiple: true },
  secret: { type: 'string', multiple: true },
  'reject-bad-signatures': { type: 'boolean' },
  tunnel: { type: 'string' },
} as const;

export const deliveryOptionsHelp = `Testing your webhook handler:
  --forward-to URL     pass every stored event on to your app (same method, headers, body bytes);
                       the request's path is appended to URL's path: --forward-to http://localhost:3000/hooks
                       sends POST /vk to http://localhost:3000/hooks/vk. One line per forward on stdout.
  --answer-mode M      store (default): the listener answers, then forwards (retrying while the app is
                       down); proxy: the provider gets your app's status, headers and body (502 when it
                       does not answer), and a VK confirmation answer is checked against the expected one
  --answer RULE        PATH_GLOB=STATUS[xCOUNT][@DELAYms], repeatable: /retry/*=503x2 answers the first two
                       deliveries to each matching path 503; /slow=200@1500ms waits 1.5 s. Confirmations
                       are answered as usual unless a rule names their path exactly.
  --secret RULE        PATH_GLOB=SCHEME:SECRET, repeatable; SCHEME is standard (Standard Webhooks / svix,
                       whsec_ secrets), github (X-Hub-Signature-256) or hmac(HEADER,hex|base64[,PREFIX]).
                       Each event says signature ✓, ✗ or stale timestamp; it is stored either way.
  --reject-bad-signatures  answer 401 when a signature check fails (the event is still stored)
  --tunnel T           start a public tunnel to the listener: cloudflared (quick tunnel, no account),
                       ngrok, or your command line with \${port} in it ('ssh -R 80:127.0.0.1:\${port} nokey@localhost.run');
                       prints its public URL, which confirmations are then signed over; its output goes
                       to <history>.tunnel.log; it stops with the listener`;

type DeliveryValues = {
  'forward-to'?: string;
  'answer-mode'?: string;
  answer?: string[];
  secret?: string[];
  'reject-bad-signatures'?: boolean;
};

/** The listener's delivery options from the command line; undefined when none was given. */
export function deliveryFromOptions(values: DeliveryValues, ctx: CliContext): DeliveryOptions | undefined {
  const forwardTo = values['forward-to'];
  if (forwardTo !== undefined) {
    const problem = forwardToProblem(forwardTo);
    if (problem) {
      throw new CliError(`--forward-to: ${problem}`, ExitCode.usage);
    }
  }
  const mode = values['answer-mode'];
  if (mode !== undefined && !answerModes.includes(mode as AnswerMode)) {
    throw new CliError(`--answer-mode must be store or proxy, not "${mode}".`, ExitCode.usage);
  }
  if (mode === 'proxy' && forwardTo === undefined) {
    throw new CliError('--answer-mode proxy passes your app\'s answers on: give the app with --forward-to URL.', ExitCode.usage);
  }
  let answers: AnswerRules | undefined;
  try {
    answers = values.answer ? AnswerRules.parse(values.answer) : undefined;
  } catch (err) {
    throw new CliError(`--answer: ${(err as Error).message}`, ExitCode.usage);
  }
  const signingSecrets = (values.secret ?? []).map((text) => {
    try {
      return parseSigningSecret(text);
    } catch (err) {
      throw new CliError(`--secret ${redactSecretRule(text)}: ${(err as Error).message}`, ExitCode.usage);
    }
  });
  if (!forwardTo && !answers && signingSecrets.length === 0) {
    return undefined;
  }
  return {
    forwardTo,
    answerMode: (mode as AnswerMode | undefined) ?? 'store',
    answers,
    signingSecrets,
    rejectBadSignatures: values['reject-bad-signatures'] ?? false,
    onForwarded: (event) => ctx.stdout.write(`${forwardLine(event)}\n`),
  };
}

/** One line per forward: `<time> forward <id> POST /path → 201 · 12 ms <target>`, plus a confirmation check in proxy mode. */
export function forwardLine(event: WebhookEvent): string {
  const app = event.forward;
  if (!app) {
    return '';
  }
  const extra: string[] = [];
  if (app.attempts > 1) {
    extra.push(`${app.attempts} attempts`);
  }
  if (app.errorMessage) {
    extra.push(app.errorMessage);
  }
  const check = event.appConfirmation;
  if (check) {
    extra.push(check.correct ? 'confirmation signature right' : `confirmation signature WRONG: expected ${check.expected}, the app answered ${check.answered ?? 'nothing'}`);
  }
  if (event.proxied) {
    extra.push(`provider got ${event.status}`);
  }
  return `${app.at} forward ${event.id} ${event.method} ${event.path} → ${appAnswerSummary(app)} ${app.target}${extra.length ? ` (${extra.join('; ')})` : ''}`;
}

/** Starts `--tunnel` for the listener's port; its output goes to `logFile`. */
export async function startCliTunnel(value: string, port: number, logFile: string, ctx: CliContext): Promise<RunningTunnel> {
  const log = createWriteStream(logFile, { flags: 'a' });
  try {
    const tunnel = await startTunnel({ spec: parseTunnelSpec(value), port, env: ctx.env, output: (line) => log.write(`${line}\n`) });
    tunnel.onExit((code) => ctx.stderr.write(`The tunnel (${tunnel.label}) exited with code ${String(code)}; the listener keeps running locally. Its output: ${logFile}\n`));
    return tunnel;
  } catch (err) {
    log.end();
    if (err instanceof TunnelError) {
      throw new CliError(`--tunnel: ${err.message} (output: ${logFile})`, ExitCode.failure);
    }
    throw err;
  }
}
