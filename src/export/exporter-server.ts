import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { negotiateFormat } from './accept.js';
import { BasicAuth } from './basic-auth.js';
import type { Scrape } from './collector.js';
import { ExportListenError } from './export-error.js';
import { type ListenAddress, formatListenAddress } from './listen-address.js';
import type { WebConfig } from './web-config.js';

export interface ExporterOptions {
  listen: ListenAddress;
  webConfig: WebConfig | null;
  scrape: Scrape;
}

export interface RunningExporter {
  /** Where it listens, with the port the OS chose for port 0. */
  address: ListenAddress;
  /** http(s)://address/metrics */
  url: string;
  close(): void;
}

/** A slow or silent client cannot hold a connection open for long. */
const REQUEST_TIMEOUT_MS = 10_000;

const LANDING =
  'paratop exporter\n\n' +
  "Metrics: /metrics (node_exporter's node_cpu_seconds_total, node_memory_*, node_load*, and paratop_*)\n";

function send(response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  response.end(text);
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  auth: BasicAuth,
  scrape: Scrape,
): Promise<void> {
  if (!(await auth.allows(request.headers.authorization))) {
    send(response, 401, 'Unauthorized\n', { 'WWW-Authenticate': 'Basic realm="paratop"' });
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    send(response, 405, 'Only GET and HEAD\n', { Allow: 'GET, HEAD' });
    return;
  }
  const path = new URL(request.url ?? '/', 'http://paratop').pathname;
  if (path === '/') {
    send(response, 200, LANDING);
  } else if (path === '/metrics') {
    const { contentType, body } = await scrape(negotiateFormat(request.headers.accept));
    response.writeHead(200, { 'Content-Type': contentType });
    response.end(request.method === 'HEAD' ? undefined : body);
  } else {
    send(response, 404, 'Not found: paratop serves /metrics\n');
  }
}

function listenError(error: NodeJS.ErrnoException, where: string): ExportListenError {
  const reasons: Record<string, string> = {
    EADDRINUSE: `${where} is already in use (another exporter, or another paratop?); choose another port`,
    EADDRNOTAVAIL: `${where} is not an address of this machine; use one it has, such as 127.0.0.1`,
    EACCES: `${where} needs privileges (ports below 1024 do); choose a port from 1024 up`,
    ENOTFOUND: `the host name of ${where} was not found; use an IP address or a name this machine resolves`,
  };
  return new ExportListenError(reasons[error.code ?? ''] ?? `cannot listen on ${where}: ${error.message}`);
}

/** Starts listening; resolves once it does, or rejects with a sentence saying why it cannot. */
export async function startExporter(options: ExporterOptions): Promise<RunningExporter> {
  const auth = new BasicAuth(options.webConfig?.users ?? new Map());
  const tls = options.webConfig?.tlsFiles ?? null;
  const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    handle(request, response, auth, options.scrape).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, `paratop could not read its figures: ${String(error)}\n`);
      else response.destroy();
    });
  };
  const server: Server = tls ? createTlsServer({ cert: tls.cert, key: tls.key }, onRequest) : createServer(onRequest);
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = REQUEST_TIMEOUT_MS;
  const where = formatListenAddress(options.listen);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, where)));
    server.listen({ host: options.listen.host || undefined, port: options.listen.port }, () => resolve());
  });
  // Once listening, a failed accept (out of file descriptors, say) loses that one scrape, never the dashboard.
  server.on('error', () => undefined);
  const { port } = server.address() as AddressInfo;
  const address = { host: options.listen.host, port };
  const shown = formatListenAddress(address.host === '' ? { host: '0.0.0.0', port } : address);
  return {
    address,
    url: `${tls ? 'https' : 'http'}://${shown}/metrics`,
    close: () => {
      server.close();
      server.closeAllConnections();
    },
  };
}
