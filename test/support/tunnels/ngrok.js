#!/usr/bin/env node
// Stand-in for `ngrok http http://127.0.0.1:<port> --log stdout --log-format json` (ngrok v3), for tests on
// machines without internet. It prints ngrok's JSON log records on stdout (format: /work/shared/TUNNELS.md;
// records as quoted in pyngrok#125 and runatlantis/atlantis#6164): `starting web service` with the local
// API's address, then `started tunnel` with `url`. Like ngrok it serves that local API for real
// (GET /api/tunnels → {"tunnels":[{"public_url","proto","config":{"addr"}}]}), on a free port.
// S3HOOKS_STANDIN_MODE=no-authtoken prints what ngrok prints without an authtoken (ERR_NGROK_4018)
// and exits 1; S3HOOKS_STANDIN_MODE=api-only leaves the `started tunnel` record out, so that only the
// local API tells the URL.
/* global require */
'use strict';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain node script, run without a build
const http = require('node:http');
const args = process.argv.slice(2);
const addr = args[1];
const publicUrl = `https://${process.env.S3HOOKS_STANDIN_HOST || '84c5df439d74.ngrok-free.app'}`;
const mode = process.env.S3HOOKS_STANDIN_MODE || '';
const record = (fields) => process.stdout.write(JSON.stringify({ ...fields, t: new Date().toISOString() }) + '\n');

record({ lvl: 'info', msg: 'no configuration paths supplied' });
record({ lvl: 'info', msg: 'using configuration at default config path', path: '/home/user/.config/ngrok/ngrok.yml' });
if (mode === 'no-authtoken') {
  const err =
    'authentication failed: Usage of ngrok requires a verified account and authtoken.\n\nSign up for an account: https://dashboard.ngrok.com/signup\n' +
    'Install your authtoken: https://dashboard.ngrok.com/get-started/your-authtoken\r\n\r\nERR_NGROK_4018\r\n';
  record({ lvl: 'eror', msg: 'failed to reconnect session', obj: 'tunnels.session', err });
  record({ lvl: 'eror', msg: 'session closing', obj: 'tunnels.session', err });
  record({ lvl: 'crit', msg: 'command failed', err });
  process.stderr.write(`ERROR:  ${err.replace(/\r/g, '').split('\n').join('\nERROR:  ')}\n`);
  process.exit(1);
}
const api = http.createServer((req, res) => {
  const body = JSON.stringify({
    tunnels: [{ name: 'command_line', public_url: publicUrl, proto: 'https', config: { addr: addr.replace('127.0.0.1', 'localhost'), inspect: true } }],
    uri: '/api/tunnels',
  });
  res.writeHead(req.url === '/api/tunnels' ? 200 : 404, { 'Content-Type': 'application/json' });
  res.end(body);
});
api.listen(0, '127.0.0.1', () => {
  record({ lvl: 'info', msg: 'starting web service', obj: 'web', addr: `127.0.0.1:${api.address().port}`, allow_hosts: [] });
  record({ lvl: 'info', msg: 'client session established', obj: 'tunnels.session' });
  record({ lvl: 'info', msg: 'tunnel session started', obj: 'tunnels.session' });
  if (mode !== 'api-only') {
    record({ lvl: 'info', msg: 'started tunnel', obj: 'tunnels', name: 'command_line', addr, url: publicUrl });
  }
});
const stop = () => {
  record({ lvl: 'info', msg: 'received stop request', obj: 'app', stopReq: { Restart: false, Update: false } });
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
