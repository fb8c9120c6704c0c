import { type AddressInfo, type Server, createServer } from 'node:net';

/**
 * A service that answers each request line after a fixed delay, on a loopback port of its own: what an
 * I/O-bound thread waits for (a database, a web API, a disk). Its answers are timers, so it costs next
 * to no CPU however many requests wait at once.
 */
export function serveWithDelay(delayMs: number): Promise<{ port: number; server: Server }> {
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => {
      for (const byte of chunk) if (byte === 0x0a) setTimeout(() => socket.writable && socket.write('ok\n'), delayMs);
    });
    socket.on('error', () => socket.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as AddressInfo).port, server }));
  });
}
