import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { selfSignedCertificate } from './selfSigned';

/**
 * A local stand-in for SNS's certificate host: a real HTTPS server on
 * 127.0.0.1 with a throwaway RSA key and self-signed certificate made by
 * openssl. It serves the certificate at `/cert.pem` (the SigningCertURL) and
 * answers `/confirm` (a SubscribeURL) like SNS's ConfirmSubscription. Messages
 * are signed with `openssl dgst`, over a string-to-sign written out here from
 * AWS's documentation, independently of the code under test.
 */
export interface FakeSns {
  origin: string;
  certUrl: string;
  subscribeUrl: string;
  /** PEM of the certificate (also the HTTPS server's), to trust as a CA. */
  certPem: string;
  /** Requests to /confirm so far. */
  confirmations: number;
  /** Requests to /cert.pem so far. */
  certificateFetches: number;
  /** Signs a message (SignatureVersion 1 = SHA1withRSA, 2 = SHA256withRSA) and fills in Signature and SigningCertURL. */
  sign<T extends Record<string, unknown>>(message: T, version: '1' | '2'): T & { Signature: string; SigningCertURL: string; SignatureVersion: string };
  close(): Promise<void>;
}

function stringToSign(m: Record<string, unknown>): string {
  const fields =
    m.Type === 'Notification'
      ? ['Message', 'MessageId', ...(m.Subject !== undefined ? ['Subject'] : []), 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  let out = '';
  for (const f of fields) {
    out += `${f}\n${String(m[f])}\n`;
  }
  return out;
}

export async function startFakeSns(): Promise<FakeSns> {
  const { key, cert: certPem, keyFile, dispose } = selfSignedCertificate();
  const state = { confirmations: 0, certificateFetches: 0 };
  const server = https.createServer({ key, cert: certPem }, (req, res) => {
    if (req.url === '/cert.pem') {
      state.certificateFetches++;
      res.writeHead(200, { 'Content-Type': 'application/x-pem-file' }).end(certPem);
    } else if (req.url?.startsWith('/confirm')) {
      state.confirmations++;
      res
        .writeHead(200, { 'Content-Type': 'text/xml' })
        .end(
          '<ConfirmSubscriptionResponse><ConfirmSubscriptionResult><SubscriptionArn>arn:aws:sns:us-east-1:123456789012:topic:5f1c</SubscriptionArn></ConfirmSubscriptionResult></ConfirmSubscriptionResponse>',
        );
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    certUrl: `${origin}/cert.pem`,
    subscribeUrl: `${origin}/confirm?Action=ConfirmSubscription&Token=tok`,
    certPem,
    get confirmations() {
      return state.confirmations;
    },
    get certificateFetches() {
      return state.certificateFetches;
    },
    sign(message, version) {
      const full = { ...message, SignatureVersion: version, SigningCertURL: `${origin}/cert.pem` } as Record<string, unknown>;
      const dataFile = join(dirname(keyFile), 'data.txt');
      writeFileSync(dataFile, stringToSign(full), 'utf8');
      const signature = execFileSync('openssl', ['dgst', version === '1' ? '-sha1' : '-sha256', '-sign', keyFile, dataFile]).toString('base64');
      return { ...full, Signature: signature } as typeof message & { Signature: string; SigningCertURL: string; SignatureVersion: string };
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      dispose();
    },
  };
}
