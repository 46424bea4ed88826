import type * as http from 'node:http';

/** An HTTP answer the listener sends: status and JSON body. */
export interface JsonAnswer {
  status: number;
  body: string;
  /** Close the connection after answering (the client may still be sending a body we refused). */
  close?: boolean;
}

/** Sends a JSON answer, unless one was sent already or the client is gone. */
export function sendAnswer(res: http.ServerResponse, result: JsonAnswer): void {
  if (res.headersSent || res.destroyed) {
    return;
  }
  // The array form of writeHead skips building a header object per answer.
  const headers = ['Content-Type', 'application/json', 'Content-Length', String(Buffer.byteLength(result.body))];
  if (result.close) {
    headers.push('Connection', 'close');
  }
  res.writeHead(result.status, headers);
  res.end(result.body);
}

/** Answer headers that describe the app's connection, not its answer: the listener's own connection sets them. */
const notRelayed = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'trailer', 'upgrade', 'proxy-connection']);

/** Sends the app's answer on to the provider (proxy mode): its status, headers and body. */
export function relayAnswer(res: http.ServerResponse, status: number, headers: Record<string, string>, body: Buffer): void {
  if (res.headersSent || res.destroyed) {
    return;
  }
  const list: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!notRelayed.has(name)) {
      list.push(name, value);
    }
  }
  list.push('Content-Length', String(body.length));
  res.writeHead(status, list);
  res.end(body);
}
