#!/usr/bin/env node
// Stand-in for `ssh -R 80:127.0.0.1:<port> nokey@localhost.run`, the kind of command line a user puts in
// s3Hooks.tunnel.command, for tests on machines without internet. It prints localhost.run's banner
// (documentation, dashboard and social links, each an https URL) and then the line that names the
// tunnel, `<id>.lhr.life tunneled with tls termination, https://<id>.lhr.life` (format:
// /work/shared/TUNNELS.md), and stays up until SIGINT/SIGTERM, like ssh.
/* global setInterval */
'use strict';
const id = process.env.S3HOOKS_STANDIN_HOST || '5a3c9e1f2b7d40.lhr.life';
const out = (text) => process.stdout.write(text + '\n');
out('');
out('===============================================================================');
out('Welcome to localhost.run!');
out('');
out('Follow your favourite reverse tunnel at [https://twitter.com/localhost_run].');
out('');
out('To set up and manage custom domains go to https://admin.localhost.run/');
out('');
out('More details on custom domains (and how to enable subdomains for free) at https://localhost.run/docs/custom-domains');
out('');
out('If you get a permission denied error check the faq for how to connect with a key or');
out('create a free tunnel without a key at [https://localhost.run/docs/faq#generating-an-ssh-key].');
out('');
out('To explore using localhost.run visit the documentation site:');
out('https://localhost.run/docs/');
out('');
out('===============================================================================');
out('');
out('');
out('** your connection id is 0d8f6a4e-3c21-4b5a-9f7e-6d5c4b3a2910, please mention it if you send me a message about an issue. **');
out('');
setTimeout(() => out(`${id} tunneled with tls termination, https://${id}`), 50);
process.on('SIGINT', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
setInterval(() => undefined, 1 << 30);
