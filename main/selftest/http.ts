// A small HTTP client that calls the agent's API the way core does: a real socket from a chosen
// source address (127.0.0.1), core's credential when one is required, TLS pinned to the agent's
// own certificate (often self-signed, so there is no CA to check it against).
import http from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';

export interface ApiCallerOptions {
  /** http(s)://host:port of the API. */
  baseUrl: string;
  /** Source address of the connections. */
  localAddress?: string;
  /** The Authorization header core would send (server.inboundAuth). */
  authorization?: string;
  /** SHA-256 fingerprint the API's certificate must have (https only). */
  tlsFingerprint?: string | null;
  timeoutMs?: number;
}

export interface ApiAnswer {
  status: number;
  contentType: string;
  /** The parsed body; undefined when it is not JSON. */
  json: unknown;
}

export class ApiCallError extends Error {
  override name = 'ApiCallError';
  constructor(message: string, readonly code: string | undefined) {
    super(message);
  }
}

export function createApiCaller(o: ApiCallerOptions) {
  const url = new URL(o.baseUrl);
  const secure = url.protocol === 'https:';
  // No TLS session resumption: a resumed session presents no certificate to pin.
  const agent = secure ? new https.Agent({ keepAlive: true, maxSockets: 4, maxCachedSessions: 0 }) : new http.Agent({ keepAlive: true, maxSockets: 4 });
  let requests = 0;

  function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiAnswer> {
    requests++;
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    if (o.authorization) headers.authorization = o.authorization;
    const options: https.RequestOptions = {
      method, path, headers, agent,
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || (secure ? 443 : 80),
      localAddress: o.localAddress,
      timeout: o.timeoutMs ?? 20_000,
      // Pinned below by fingerprint instead: the agent's certificate is often self-signed.
      ...(secure && { rejectUnauthorized: false }),
    };
    return new Promise((resolve, reject) => {
      const req = (secure ? https : http).request(options, (res) => {
        if (secure && o.tlsFingerprint) {
          const seen = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
          if (seen !== o.tlsFingerprint) {
            res.destroy();
            reject(new ApiCallError(`the API at ${o.baseUrl} presented a certificate that is not the agent's own (${seen})`, 'CERT_MISMATCH'));
            return;
          }
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => reject(new ApiCallError(err.message, (err as NodeJS.ErrnoException).code)));
        res.on('end', () => {
          let json: unknown;
          try {
            json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), json });
        });
      });
      req.on('timeout', () => req.destroy(new ApiCallError(`no answer within ${Math.round((o.timeoutMs ?? 20_000) / 1000)} s`, 'ETIMEDOUT')));
      req.on('error', (err) => reject(err instanceof ApiCallError ? err : new ApiCallError(err.message, (err as NodeJS.ErrnoException).code)));
      req.end(payload);
    });
  }

  return {
    call,
    get requests(): number {
      return requests;
    },
    close(): void {
      agent.destroy();
    },
  };
}

export type ApiCaller = ReturnType<typeof createApiCaller>;
