import * as http from 'node:http';
import type { Socket } from 'node:net';
import { listenerDefaults } from '../defaults';
import type { ConnectionGuard } from './connectionGuard';
import { startError, type WebhookListenerOptions } from './listenerOptions';

/**
 * The listener's node:http server: timeouts that a slow client cannot stretch,
 * the connection cap kept by a {@link ConnectionGuard}, `Expect: 100-continue`
 * refused for an over-limit body, and malformed HTTP answered, never thrown.
 */
export function createListenerServer(
  o: WebhookListenerOptions,
  guard: ConnectionGuard,
  handle: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): http.Server {
  const server = http.createServer(
    {
      headersTimeout: o.headersTimeoutMs ?? listenerDefaults.headersTimeoutMs,
      requestTimeout: o.requestTimeoutMs ?? listenerDefaults.requestTimeoutMs,
      keepAliveTimeout: listenerDefaults.keepAliveTimeoutMs,
      // Timeouts are checked on this interval; Node's default (30 s) would let a slow client stay far longer.
      connectionsCheckingInterval: Math.min(1000, o.headersTimeoutMs ?? 1000),
    },
    handle,
  );
  // Expect: 100-continue: refuse an over-limit body before the client sends it.
  server.on('checkContinue', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (!(declared > (o.bodyLimit ?? listenerDefaults.bodyLimit))) {
      res.writeContinue();
    }
    handle(req, res);
  });
  // No server.maxConnections: Node would refuse the newest connection at the cap; the guard drops idle ones first.
  server.on('connection', (socket: Socket) => guard.accept(socket));
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    // Malformed HTTP, header timeouts and resets: answer when possible, never crash.
    if (socket.writable && err.code !== 'ECONNRESET') {
      const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || err.code === 'ERR_HTTP_HEADERS_TIMEOUT' ? 408 : 400;
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    }
    socket.destroy();
  });
  return server;
}

/** Binds; rejects with a {@link ListenerStartError} that says what to do. */
export function bindServer(server: http.Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      reject(startError(err, host, port));
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
