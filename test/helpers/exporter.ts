import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { BIN } from './pty-session.js';
import { TAG_NAME } from './started.js';

/** A port free now (the OS's choice), for a program that must be told one. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One GET, over HTTPS trusting `ca` when given. */
export function get(url: string, headers: Record<string, string> = {}, ca?: Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = (url.startsWith('https:') ? httpsRequest : httpRequest)(
      url,
      { headers, ...(ca ? { ca } : {}), agent: false, timeout: 10_000 },
      (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (text: string) => (body += text));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      },
    );
    request.on('error', reject);
    request.on('timeout', () => request.destroy(new Error(`no answer from ${url}`)));
    request.end();
  });
}

export interface Served {
  child: ChildProcess;
  url: string;
  stderr: () => string;
}

/** `paratop serve` as a real process on a port the OS picks; resolves once it says where it listens. */
export async function startServe(args: readonly string[], tag: string): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', '--listen', '127.0.0.1:0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, [TAG_NAME]: tag },
  });
  let stderr = '';
  child.stdout?.resume();
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 20_000);
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
      const found = /listening on (\S+)/.exec(stderr);
      if (found?.[1]) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}: ${stderr}`));
    });
  });
  return { child, url, stderr: () => stderr };
}

/** Why promtool cannot be used here, or null. */
export function noPromtool(): string | false {
  const found = spawnSync('promtool', ['--version'], { stdio: 'ignore' });
  return found.error ? 'promtool is missing (Debian package prometheus)' : false;
}

/**
 * promtool's verdict on an exposition: its errors, and its lint complaints but for one. node_exporter's
 * own memory names (node_memory_MemTotal_bytes) are camelCase, and paratop keeps them so dashboards work.
 */
export function promtoolProblems(body: string): string[] {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
  const lines = `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => line.trim() !== '');
  const problems = lines.filter(
    (line) => !/^node_memory_\w+_bytes metric names should be written in 'snake_case'/.test(line),
  );
  // 0: clean; 3: lint complaints only (all of them excused above); anything else is a parse error.
  if (result.status !== 0 && result.status !== 3) problems.push(`promtool exited with ${result.status}`);
  return problems;
}
