import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MEMORY_FIELDS } from '../src/hosts/metric-names.js';

/**
 * The bench's other hosts, in a process of their own so their CPU is not counted as paratop's:
 * EXPORTERS servers each answering as a CORES-core node_exporter (the real captured body, its CPU
 * lines for CORES cores, counters moving on at every scrape), and for each HOSTS count a Prometheus
 * query API answering for that many instances of CORES cores. Arguments: CORES EXPORTERS HOSTS...
 * Prints {"prometheus": {"HOSTS": port}, "exporters": [ports]} and serves until stdin closes.
 */
const [cores = 64, exporters = 200, ...hostCounts] = process.argv.slice(2).map(Number);

const real = readFileSync(new URL('../test/fixtures/hosts/node-exporter-real.prom', import.meta.url), 'utf8');
const rest = real
  .split('\n')
  .filter((line) => !line.startsWith('node_cpu_seconds_total') && !line.startsWith('node_cpu_guest_seconds_total'))
  .join('\n');

function exporterBody(scrape: number): string {
  const lines: string[] = [];
  for (let cpu = 0; cpu < cores; cpu += 1) {
    for (const mode of ['idle', 'iowait', 'irq', 'nice', 'softirq', 'steal', 'system', 'user']) {
      const seconds = mode === 'idle' || mode === 'user' ? 1000 + scrape * (0.5 + (cpu % 7) / 20) : 10;
      lines.push(`node_cpu_seconds_total{cpu="${cpu}",mode="${mode}"} ${seconds.toFixed(2)}`);
    }
    lines.push(`node_cpu_guest_seconds_total{cpu="${cpu}",mode="nice"} 0`);
    lines.push(`node_cpu_guest_seconds_total{cpu="${cpu}",mode="user"} 0`);
  }
  return `${rest}\n${lines.join('\n')}\n`;
}

const vector = (result: { metric: Record<string, string>; value: number }[]): string =>
  JSON.stringify({
    status: 'success',
    data: {
      resultType: 'vector',
      result: result.map(({ metric, value }) => ({ metric, value: [Date.now() / 1000, String(value)] })),
    },
  });

/** The four answers of one refresh, for `hosts` instances. */
function answersFor(hosts: number): Record<'up' | 'busy' | 'memory' | 'load', string> {
  const instances = Array.from({ length: hosts }, (_, index) => `node${index}:9100`);
  return {
    up: vector(instances.map((instance) => ({ metric: { __name__: 'up', instance, job: 'lab' }, value: 1 }))),
    busy: vector(
      instances.flatMap((instance) =>
        Array.from({ length: cores }, (_, cpu) => ({ metric: { instance, cpu: String(cpu) }, value: (cpu % 10) / 10 })),
      ),
    ),
    memory: vector(
      instances.flatMap((instance) =>
        MEMORY_FIELDS.map((field) => ({
          metric: { __name__: `node_memory_${field}_bytes`, instance, job: 'lab' },
          value: 2 ** 34,
        })),
      ),
    ),
    load: vector(
      instances.flatMap((instance) =>
        ['node_load1', 'node_load5', 'node_load15'].map((name) => ({
          metric: { __name__: name, instance, job: 'lab' },
          value: 1,
        })),
      ),
    ),
  };
}

function answer(answers: ReturnType<typeof answersFor>, query: string): string {
  if (query.startsWith('up{')) return answers.up;
  if (query.includes('node_cpu_seconds_total')) return answers.busy;
  if (query.includes('node_memory_')) return answers.memory;
  return answers.load;
}

const listen = (server: http.Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

const servers: http.Server[] = [];
const ports = { prometheus: {} as Record<number, number>, exporters: [] as number[] };
for (const hosts of hostCounts) {
  const answers = answersFor(hosts);
  const prometheus = http.createServer((request, response) => {
    const query = new URL(request.url ?? '/', 'http://x').searchParams.get('query') ?? '';
    response.writeHead(200, { 'content-type': 'application/json' }).end(answer(answers, query));
  });
  servers.push(prometheus);
  ports.prometheus[hosts] = await listen(prometheus);
}
for (let index = 0; index < exporters; index += 1) {
  let scrape = 0;
  const server = http.createServer((_request, response) => {
    scrape += 1;
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(exporterBody(scrape));
  });
  servers.push(server);
  ports.exporters.push(await listen(server));
}
process.stdout.write(`${JSON.stringify(ports)}\n`);
process.stdin.resume();
process.stdin.once('end', () => {
  for (const server of servers) {
    server.close();
    server.closeAllConnections();
  }
});
