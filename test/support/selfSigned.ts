import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway RSA key and self-signed certificate for 127.0.0.1, made by openssl (trust `cert` as a CA). */
export function selfSignedCertificate(): { key: string; cert: string; keyFile: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 's3hooks-tls-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), keyFile, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
