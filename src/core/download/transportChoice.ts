import type { HttpTransport } from './httpGet';

/**
 * The transport for a download: node:http when VS Code's `http.proxy` setting
 * or the environment names a proxy (VS Code's proxy support hooks node:http, and
 * the socket transport does not speak to proxies), else the faster fixed-buffer
 * socket transport.
 */
export function transportFor(proxySetting: string | undefined, env: NodeJS.ProcessEnv = process.env): HttpTransport {
  return proxySetting || env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy ? 'node' : 'socket';
}
