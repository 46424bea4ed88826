#!/usr/bin/env node
// Stand-in for `cloudflared tunnel --no-autoupdate --url http://127.0.0.1:<port>` (a quick tunnel), for
// tests on machines without internet. It prints what cloudflared 2024.x prints, on stderr, one record per
// line as `<RFC3339 time> INF <text>` (format: /work/shared/TUNNELS.md; the same lines are quoted in
// Shopify/shopify-app-template-node#1164): the terms-of-use and documentation https:// links first, then
// the box holding the tunnel's URL, then the connection records. It exits on SIGINT/SIGTERM like the
// real one. S3HOOKS_STANDIN_MODE=no-network prints the failure cloudflared prints when
// api.trycloudflare.com cannot be reached, and exits 1.
/* global setInterval */
'use strict';
const args = process.argv.slice(2);
const url = args[args.indexOf('--url') + 1];
const host = process.env.S3HOOKS_STANDIN_HOST || 'gentle-river-quiet-harbor.trycloudflare.com';
const t = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const log = (level, text) => process.stderr.write(`${t()} ${level} ${text}\n`);

log(
  'INF',
  'Thank you for trying Cloudflare Tunnel. Doing so, without a Cloudflare account, is a quick way to experiment and try it out. ' +
    'However, be aware that these account-less Tunnels have no uptime guarantee, are subject to the Cloudflare Online Services Terms of Use ' +
    '(https://www.cloudflare.com/website-terms/), and Cloudflare reserves the right to investigate your use of Tunnels for violations of such terms. ' +
    'If you intend to use Tunnels in production you should use a pre-created named tunnel by following: https://developers.cloudflare.com/cloudflare-one/connections/connect-networks',
);
log('INF', 'Requesting new quick Tunnel on trycloudflare.com...');
if (process.env.S3HOOKS_STANDIN_MODE === 'no-network') {
  log('ERR', 'Error unmarshaling QuickTunnel response: error="failed to request quick Tunnel: Post \\"https://api.trycloudflare.com/tunnel\\": dial tcp: lookup api.trycloudflare.com: no such host" status_code="0"');
  log('ERR', 'failed to request quick Tunnel: Post "https://api.trycloudflare.com/tunnel": dial tcp: lookup api.trycloudflare.com: no such host');
  process.exit(1);
}
const width = 92;
const boxLine = (text) => log('INF', `|  ${text.padEnd(width - 4)}  |`);
setTimeout(() => {
  log('INF', `+${'-'.repeat(width)}+`);
  boxLine('Your quick Tunnel has been created! Visit it at (it may take some time to be reachable):');
  boxLine(`https://${host}`);
  log('INF', `+${'-'.repeat(width)}+`);
  log('INF', 'Cannot determine default configuration path. No file [config.yml config.yaml] in [~/.cloudflared ~/.cloudflare-warp ~/cloudflare-warp /etc/cloudflared /usr/local/etc/cloudflared]');
  log('INF', 'Version 2024.11.1 (Checksum 0000000000000000000000000000000000000000000000000000000000000000)');
  log('INF', 'GOOS: linux, GOVersion: go1.22.5, GoArch: amd64');
  log('INF', `Settings: map[ha-connections:1 no-autoupdate:true protocol:quic url:${url}]`);
  log('INF', 'Generated Connector ID: 7f0c1a52-2b7e-4d8e-9c1e-3f4a5b6c7d8e');
  log('INF', 'Initial protocol quic');
  log('INF', 'Starting metrics server on 127.0.0.1:20241/metrics');
  log('INF', 'Registered tunnel connection connIndex=0 connection=0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e event=0 ip=198.41.192.7 location=ams01 protocol=quic');
}, 50);
const stop = (signal) => {
  log('INF', `Initiating graceful shutdown due to signal ${signal} ...`);
  log('INF', 'Unregistered tunnel connection connIndex=0 event=0 ip=198.41.192.7');
  process.exit(0);
};
process.on('SIGINT', () => stop('interrupt'));
process.on('SIGTERM', () => stop('terminated'));
setInterval(() => undefined, 1 << 30);
