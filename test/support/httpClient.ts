import * as http from 'node:http';
import * as net from 'node:net';

/** A plain HTTP answer as a test sees it. */
export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** Sends one request (no keep-alive) and reads the whole answer. */
export function httpRequest(
  url: string,
  options: { method?: string; headers?: http.OutgoingHttpHeaders; body?: string | Buffer; agent?: http.Agent | false } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'POST', headers: options.headers, agent: options.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** POSTs a JSON value (or raw text) with `Content-Type: application/json`. */
export function postJson(url: string, body: unknown, headers: http.OutgoingHttpHeaders = {}): Promise<HttpAnswer> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return httpRequest(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: text });
}

/** Opens a raw TCP connection to a URL's host and port. */
export function rawConnect(url: string): Promise<net.Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves with everything the server sent once the socket closes (or after `timeoutMs`, with what came so far). */
export function readUntilClose(socket: net.Socket, timeoutMs = 10_000): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    const timer = setTimeout(() => resolve({ text: Buffer.concat(chunks).toString('utf8'), closed: false }), timeoutMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve({ text: Buffer.concat(chunks).toString('utf8'), closed: true });
    });
  });
}
