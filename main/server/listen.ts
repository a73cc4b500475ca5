// Starts an HTTP server with limits that a port open to the internet needs.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type Koa from 'koa';
import { ExposedError } from '../../shared/wire.js';
import { toWire } from '../errors.js';

export interface ListenOptions {
  host?: string;
  port: number;
  /** PEM certificate and key: serve HTTPS instead of HTTP. */
  tls?: { cert: string; key: string } | null;
  /** How long a client may take to send its headers (default 10 s). */
  headersTimeoutMs?: number;
}

export interface RunningServer {
  server: http.Server | https.Server;
  url: string;
  close(): Promise<void>;
}

export async function listen(app: Koa, options: ListenOptions): Promise<RunningServer> {
  const limits = {
    // Slow clients may not hold a socket forever (slowloris).
    headersTimeout: options.headersTimeoutMs ?? 10_000,
    requestTimeout: 30_000,
    maxHeaderSize: 16 * 1024,
    // How often those timeouts are enforced (Node's default is every 30 s).
    connectionsCheckingInterval: Math.min(1_000, options.headersTimeoutMs ?? 1_000),
    // Node would answer a missing Host with a bare 400; the apps' host check answers it in JSON.
    requireHostHeader: false,
  };
  const server = options.tls
    ? https.createServer({ ...limits, cert: options.tls.cert, key: options.tls.key, minVersion: 'TLSv1.2' }, app.callback())
    : http.createServer(limits, app.callback());
  server.keepAliveTimeout = 5_000;
  server.on('clientError', answerClientError);
  // Without these listeners Node drops a CONNECT without a word and answers an Expect it does not
  // know with a bare 417.
  server.on('connect', (_req: http.IncomingMessage, socket: Duplex) => answerRaw(socket, new ExposedError(501, 'not_implemented', 'CONNECT is not supported: this agent is not a proxy')));
  server.on('checkExpectation', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    const { status, body } = toWire(new ExposedError(417, 'expectation_failed', 'only "Expect: 100-continue" is understood'));
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port, host: options.host }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  // Listening on every interface: show the loopback address a person on this machine can try.
  const wildcard = address.address === '::' || address.address === '0.0.0.0';
  const host = wildcard ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `${options.tls ? 'https' : 'http'}://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** Requests Node cannot even parse still get the JSON error shape, then the socket is closed. */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  if (err.code === 'HPE_HEADER_OVERFLOW') answerRaw(socket, new ExposedError(431, 'headers_too_large', 'the request headers are too large'));
  else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') answerRaw(socket, new ExposedError(408, 'request_timeout', 'the request took too long to arrive'));
  else answerRaw(socket, new ExposedError(400, 'bad_request', 'the request is not valid HTTP'));
}

/** The JSON error (toWire, as everywhere) written straight to the socket, which is then closed. */
function answerRaw(socket: Duplex, err: ExposedError): void {
  const { status, body: error } = toWire(err);
  const body = JSON.stringify(error);
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: ${JSON_TYPE}\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
