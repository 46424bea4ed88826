import * as http from 'node:http';
import * as https from 'node:https';
import { checkedLookup } from '../http/hops';
import { flattenHeaders } from '../http/request';
import type { BodyHandlers, GetOptions, GetResponse } from './httpGet';

/** The `node` transport of {@link httpGet}: node:http/node:https, which VS Code's proxy support hooks. */
export function nodeGet(url: URL, options: GetOptions): Promise<GetResponse> {
  return new Promise<GetResponse>((resolve, reject) => {
    const transport = url.protocol === 'https:' ? https : http;
    const req = transport.request(url, {
      method: 'GET',
      headers: options.headers,
      signal: options.signal,
      ca: options.ca,
      // The connection goes to the address that was checked (an IP literal was checked with the URL).
      lookup: checkedLookup(options.lookup) as unknown as http.RequestOptions['lookup'],
    });
    req.setTimeout(options.idleTimeoutMs, () => req.destroy(Object.assign(new Error('no data for too long'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.on('response', (res) => {
      const headers = flattenHeaders(res.headers);
      // Listen for the end at once: a short body can be over before start() is called.
      let ended = false;
      let onEnd: BodyHandlers['onEnd'] | undefined;
      let endedEarly: { complete: boolean; error?: Error } | undefined;
      const end = (complete: boolean, error?: Error) => {
        if (ended) {
          return;
        }
        ended = true;
        if (onEnd) {
          onEnd(complete, error);
        } else {
          endedEarly = { complete, error };
        }
      };
      // Data before start() is kept (and the answer paused) so a short body is not lost.
      let onData: BodyHandlers['onData'] | undefined;
      const early: Buffer[] = [];
      res.on('data', (chunk: Buffer) => {
        if (onData) {
          onData(chunk);
        } else {
          early.push(chunk);
          res.pause();
        }
      });
      res.on('error', (err) => end(false, err));
      res.on('close', () => end(res.complete));
      resolve({
        status: res.statusCode ?? 0,
        headers,
        start(handlers) {
          onEnd = handlers.onEnd;
          onData = handlers.onData;
          for (const chunk of early.splice(0)) {
            handlers.onData(chunk);
          }
          if (endedEarly) {
            handlers.onEnd(endedEarly.complete, endedEarly.error);
            return;
          }
          res.resume();
        },
        pause: () => res.pause(),
        resume: () => res.resume(),
        destroy: () => res.destroy(),
      });
    });
    req.end();
  });
}
