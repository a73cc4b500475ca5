// A plain HTTP client for tests: real sockets, a chosen source address (127.0.0.2 and friends),
// raw bodies and headers, so tests see exactly what core would.
import http from 'node:http';

export interface TestResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The parsed JSON body (undefined when the body is not JSON). */
  json: unknown;
}

export interface TestRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer | object;
  /** Source address of the connection, e.g. 127.0.0.2 or ::1. */
  localAddress?: string;
}

export function request(baseUrl: string, req: TestRequest): Promise<TestResponse> {
  // The path goes on the wire as given (no URL normalisation), so odd paths reach the server.
  const url = new URL(baseUrl);
  const body = req.body === undefined ? undefined
    : typeof req.body === 'string' || Buffer.isBuffer(req.body) ? req.body : JSON.stringify(req.body);
  const headers: Record<string, string> = { ...req.headers };
  if (body !== undefined && typeof req.body === 'object' && !Buffer.isBuffer(req.body) && !headers['content-type']) {
    headers['content-type'] = 'application/json';
  }
  return new Promise((resolve, reject) => {
    const r = http.request({
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port,
      path: req.path,
      method: req.method ?? 'GET',
      headers,
      localAddress: req.localAddress,
      agent: false,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    r.on('error', reject);
    if (body !== undefined) r.write(body);
    r.end();
  });
}
