import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { after, test } from 'node:test';
import { FetchError } from '../../../src/hosts/fetch-errors.js';
import { MAX_BODY_BYTES, fetchText } from '../../../src/hosts/fetch-text.js';

/** In-process loopback servers, each on a free port, all closed after. */
const servers: net.Server[] = [];
after(() => {
  for (const server of servers) {
    server.close();
    (server as http.Server).closeAllConnections?.();
  }
});

async function listen(server: net.Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const fetchFrom = (host: string, timeoutMs = 1000, maxBytes?: number) =>
  fetchText(new URL(`http://${host}/metrics`), {
    signal: AbortSignal.timeout(timeoutMs),
    host,
    accept: 'text/plain',
    timeoutMs,
    ...(maxBytes ? { maxBytes } : {}),
  });

async function failure(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof FetchError, String(error));
    return error;
  }
  assert.fail('it did not fail');
}

test('the body is cut at 16 MB, with a sentence naming the host', async () => {
  assert.equal(MAX_BODY_BYTES, 16 * 1024 * 1024);
  const chunk = Buffer.alloc(1024 * 1024, 'x');
  const host = await listen(
    http.createServer((_request, response) => {
      // Endless: write until the reader goes away.
      const more = (): void => {
        while (!response.destroyed && response.write(chunk));
        if (!response.destroyed) response.once('drain', more);
      };
      more();
    }),
  );
  const error = await failure(fetchFrom(host, 10_000));
  assert.equal(error.failure, 'too-big');
  assert.equal(error.message, `${host} sent more than 16 MB; paratop stopped reading there.`);
});

test('a redirect loop, a closed port, a host that never answers: each a sentence', async () => {
  const loop = await listen(
    http.createServer((_request, response) => {
      response.writeHead(302, { location: '/again' }).end();
    }),
  );
  assert.equal((await failure(fetchFrom(loop))).message, `${loop} redirected more than 5 times (a redirect loop).`);

  const closed = await listen(net.createServer());
  servers.pop()?.close();
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(
    (await failure(fetchFrom(closed))).message,
    `${closed} refused the connection (nothing listens on that port).`,
  );

  const silent = await listen(net.createServer(() => undefined));
  const started = performance.now();
  const slow = await failure(fetchFrom(silent, 300));
  assert.equal(slow.message, `${silent} is slow: connected, but no whole answer within 0.3 s.`);
  assert.ok(performance.now() - started < 1500);
});

test('an answer that is not HTTP, and an HTTP error status, are told apart', async () => {
  const garbage = await listen(net.createServer((socket) => socket.end('SSH-2.0-OpenSSH_9.2\r\n')));
  assert.equal((await failure(fetchFrom(garbage))).message, `${garbage} answered with something that is not HTTP.`);
  const missing = await listen(http.createServer((_request, response) => response.writeHead(404).end('no')));
  assert.deepEqual(await fetchFrom(missing), { status: 404, body: 'no' });
});

test('TLS to a plain-HTTP port fails with a sentence', async () => {
  const plain = await listen(http.createServer((_request, response) => response.end('x')));
  const error = await failure(
    fetchText(new URL(`https://${plain}/metrics`), {
      signal: AbortSignal.timeout(2000),
      host: plain,
      accept: 'text/plain',
      timeoutMs: 2000,
    }),
  );
  assert.equal(error.failure, 'tls');
  assert.match(error.message, new RegExp(`^TLS with ${plain} failed: `));
});
