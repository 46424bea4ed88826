import type { SnsVerifyOptions } from '../sns/snsMessage';
import type { DeliveryOptions } from './deliveryOptions';
import type { EventHistory } from './eventHistory';

export interface WebhookListenerOptions {
  /** Address to bind; 127.0.0.1 unless the user chose another. */
  host?: string;
  /** Port; 0 (or omitted) = any free port. */
  port?: number;
  /**
   * The URL the provider calls (a tunnel's address), used for VK confirmation
   * signatures. A bare origin (`https://x.trycloudflare.com`) is combined with
   * the request's path; a URL with a path is used exactly as given.
   */
  publicUrl?: string;
  /** Largest body accepted, bytes; beyond it the answer is 413. */
  bodyLimit?: number;
  /** Largest JSON/text body kept inline in the event, bytes. */
  inlineLimit?: number;
  /** Status for events that are not confirmations, malformed or too large (to test a provider's retries). */
  answerStatus?: number;
  /** Where non-JSON and large bodies are written. */
  receivedDir: string;
  history: EventHistory;
  /** SNS signature checking (host rule, CA) — the defaults are for real AWS. */
  sns?: SnsVerifyOptions;
  /** Confirm SNS subscriptions (GET SubscribeURL) as soon as a verified confirmation arrives. */
  snsAutoConfirm?: boolean;
  /** Connections held at once; at the cap, idle ones are dropped first. */
  maxConnections?: number;
  /** Least average body rate (bytes/s) after a short grace; slower bodies are answered 408. */
  minBodyBytesPerSecond?: number;
  /** A JSON/text body must be complete within this (ms). */
  inlineBodyTimeoutMs?: number;
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Once a body has arrived, the longest it may wait to be stored (then 503, so the provider retries). */
  answerDeadlineMs?: number;
  /** Forwarding to the app under test, answer rules, signature checks. */
  delivery?: DeliveryOptions;
  /** Log sink; messages never contain secrets. */
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

/** Why the listener could not start, with a message that says what to do. */
export class ListenerStartError extends Error {
  constructor(
    message: string,
    /** `EADDRINUSE` (port taken), `EACCES` (privileged port), `EADDRNOTAVAIL` (no such local address), … */
    readonly code: string,
  ) {
    super(message);
    this.name = 'ListenerStartError';
  }
}

/** A bind error as a {@link ListenerStartError} whose message says what to do. */
export function startError(err: NodeJS.ErrnoException, host: string, port: number): ListenerStartError {
  switch (err.code) {
    case 'EADDRINUSE':
      return new ListenerStartError(
        `Port ${port} on ${host} is already in use (another listener, or another program). Stop it, or choose another port (0 picks any free port).`,
        'EADDRINUSE',
      );
    case 'EACCES':
      return new ListenerStartError(`Port ${port} needs administrator rights. Choose a port above 1023 (0 picks any free port).`, 'EACCES');
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new ListenerStartError(`${host} is not an address of this computer. Use 127.0.0.1 (or 0.0.0.0 to listen on every interface).`, err.code);
    default:
      return new ListenerStartError(`The listener could not start on ${host}:${port}: ${err.message}`, err.code ?? 'UNKNOWN');
  }
}
