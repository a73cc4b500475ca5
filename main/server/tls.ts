// TLS for the API port: the admin's own certificate, or a self-signed one made on first start and
// kept in the data directory. Core pins or trusts it by the SHA-256 fingerprint shown in status.
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import selfsigned from 'selfsigned';
import writeFileAtomic from 'write-file-atomic';

export interface TlsSettings {
  mode: 'off' | 'files' | 'self-signed';
  certFile: string;
  keyFile: string;
}

export interface TlsMaterial {
  cert: string;
  key: string;
  /** SHA-256 fingerprint, colon-separated hex, as browsers and curl show it. */
  fingerprint: string;
  source: string;
}

/** The TLS settings name files that cannot be used: a configuration error (EX_CONFIG), restarting will not help. */
export class TlsConfigError extends Error {
  override name = 'TlsConfigError';
  readonly exitCode = 78;
}

export async function loadTls(settings: TlsSettings, dataDir: string): Promise<TlsMaterial | null> {
  if (settings.mode === 'off') return null;
  if (settings.mode === 'files') {
    const read = (file: string, what: string) => {
      try {
        return readFileSync(file, 'utf8');
      } catch (err) {
        throw new TlsConfigError(`server.tls.${what}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
    };
    const cert = read(settings.certFile, 'certFile');
    const key = read(settings.keyFile, 'keyFile');
    return { cert, key, fingerprint: fingerprintOf(cert), source: settings.certFile };
  }
  const dir = path.join(dataDir, 'tls');
  const certFile = path.join(dir, 'self-signed-cert.pem');
  const keyFile = path.join(dir, 'self-signed-key.pem');
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const notAfter = new Date();
    notAfter.setFullYear(notAfter.getFullYear() + 5);
    const pems = await selfsigned.generate([{ name: 'commonName', value: os.hostname() }], {
      keySize: 2048,
      algorithm: 'sha256',
      notAfterDate: notAfter,
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: os.hostname() }, { type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }],
    });
    writeFileAtomic.sync(keyFile, pems.private, { mode: 0o600 });
    writeFileAtomic.sync(certFile, pems.cert, { mode: 0o600 });
  }
  const cert = readFileSync(certFile, 'utf8');
  return { cert, key: readFileSync(keyFile, 'utf8'), fingerprint: fingerprintOf(cert), source: certFile };
}

export function fingerprintOf(certPem: string): string {
  try {
    return new X509Certificate(certPem).fingerprint256;
  } catch (err) {
    throw new TlsConfigError(`the TLS certificate is not a valid PEM certificate: ${(err as Error).message}`);
  }
}
