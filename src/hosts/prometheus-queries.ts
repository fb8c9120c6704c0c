import type { HostCoreUsage, HostReading } from '../model/host-sample.js';
import type { MemorySample } from '../model/types.js';
import { inertText } from './host-text.js';
import { memoryFromFields } from './memory-fields.js';
import { MEMORY_FIELDS, METRIC_NAMES, type MemoryField } from './metric-names.js';

/** The PromQL paratop sends to a Prometheus server, and what it makes of the answers. Pure. */

const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*$/;

/**
 * `{job="lab", instance=~"node.*"}` -> the matchers inside the braces, to be joined to paratop's own.
 * Label matchers only: no metric name, nothing that could end the selector and start another query.
 */
export function parseSelector(text: string): string | { problem: string } {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return { problem: 'it is not in braces' };
  const inside = trimmed.slice(1, -1).trim();
  if (inside === '') return '';
  const parts: string[] = [];
  // Commas inside quoted values are not separators.
  for (const part of inside.match(/(?:[^,"]|"(?:[^"\\]|\\.)*")+/g) ?? []) {
    const match = MATCHER.exec(part);
    if (!match) return { problem: `"${inertText(part.trim(), 60)}" is not a label matcher such as job="lab"` };
    parts.push(`${match[1]}${match[2]}"${match[3]}"`);
  }
  return parts.join(',');
}

export interface HostQueries {
  up: string;
  busy: string;
  memory: string;
  load: string;
}

/** The four queries of one refresh; each answers for every instance at once. */
export function hostQueries(selector: string): HostQueries {
  const and = selector === '' ? '' : `,${selector}`;
  const node = METRIC_NAMES.nodeExporter;
  const memory = MEMORY_FIELDS.join('|');
  return {
    up: `up{${selector}}`,
    // irate: the last two samples, so a core that just got busy shows as busy (rate over 1m lags a lab run).
    busy: `sum by (instance, cpu) (irate(${node.cpuSeconds}{mode!~"idle|iowait"${and}}[1m]))`,
    memory: `{__name__=~"${node.memoryPrefix}(${memory})_bytes"${and}}`,
    load: `{__name__=~"${node.load.join('|')}"${and}}`,
  };
}

export interface VectorSample {
  metric: Record<string, string>;
  value: number;
}

/** An answer of /api/v1/query: the instant vector, or a sentence saying why there is none. */
export function queryAnswer(status: number, body: string): VectorSample[] | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { error: `answered HTTP ${status} with something that is not Prometheus's JSON` };
  }
  const answer = parsed as {
    status?: unknown;
    error?: unknown;
    errorType?: unknown;
    data?: { resultType?: unknown; result?: unknown };
  };
  if (answer.status === 'error') {
    const kind = typeof answer.errorType === 'string' ? `${inertText(answer.errorType, 40)}: ` : '';
    return { error: `rejected the query (${kind}${inertText(String(answer.error ?? 'no reason given'), 300)})` };
  }
  if (status !== 200 || answer.status !== 'success') return { error: `answered HTTP ${status} instead of a result` };
  if (answer.data?.resultType !== 'vector' || !Array.isArray(answer.data.result)) {
    return { error: 'answered with a result that is not an instant vector' };
  }
  const samples: VectorSample[] = [];
  for (const item of answer.data.result as { metric?: unknown; value?: unknown }[]) {
    const metric = item?.metric;
    const value = Array.isArray(item?.value) ? Number(item.value[1]) : Number.NaN;
    if (typeof metric !== 'object' || metric === null || !Number.isFinite(value)) continue;
    samples.push({ metric: metric as Record<string, string>, value });
  }
  return samples;
}

export interface QueryAnswers {
  up: VectorSample[];
  busy: VectorSample[];
  memory: VectorSample[];
  load: VectorSample[];
}

interface InstanceFigures {
  up: boolean | null;
  cores: HostCoreUsage[];
  memory: Partial<Record<MemoryField, number>>;
  load: (number | null)[];
}

/**
 * One reading per instance that has node_exporter series, and per instance Prometheus finds down.
 * Cores carry only the busy share: the other fields would cost a series per mode per core.
 */
export function readingsFromAnswers(answers: QueryAnswers, at: number, scrapeMs: number): HostReading[] {
  const instances = new Map<string, InstanceFigures>();
  const of = (metric: Record<string, string>): InstanceFigures | undefined => {
    const instance = metric.instance;
    if (typeof instance !== 'string') return undefined;
    let found = instances.get(instance);
    if (!found) {
      found = { up: null, cores: [], memory: {}, load: [null, null, null] };
      instances.set(instance, found);
    }
    return found;
  };
  for (const { metric, value } of answers.up) {
    const found = of(metric);
    if (found) found.up = (found.up ?? false) || value === 1;
  }
  for (const { metric, value } of answers.busy) {
    const id = metric.cpu ?? '';
    const found = /^\d{1,5}$/.test(id) ? of(metric) : undefined;
    const total = Math.min(100, Math.max(0, value * 100));
    found?.cores.push({ id: Number(id), user: null, system: null, iowait: null, steal: null, idle: null, total });
  }
  const prefix = METRIC_NAMES.nodeExporter.memoryPrefix;
  for (const { metric, value } of answers.memory) {
    const field = (metric.__name__ ?? '').slice(prefix.length, -'_bytes'.length) as MemoryField;
    const found = MEMORY_FIELDS.includes(field) ? of(metric) : undefined;
    if (found) found.memory[field] = value;
  }
  for (const { metric, value } of answers.load) {
    const index = (METRIC_NAMES.nodeExporter.load as readonly string[]).indexOf(metric.__name__ ?? '');
    const found = index >= 0 ? of(metric) : undefined;
    if (found) found.load[index] = value;
  }
  const readings: HostReading[] = [];
  for (const [instance, figures] of [...instances].sort(([a], [b]) => a.localeCompare(b))) {
    const memory: MemorySample | null = memoryFromFields(figures.memory);
    const hasNodeData = figures.cores.length > 0 || memory !== null;
    if (!hasNodeData && figures.up !== false) continue;
    const host = inertText(instance);
    const down = figures.up === false;
    readings.push({
      host,
      name: host,
      source: 'prometheus',
      at,
      up: !down,
      error: down ? `Prometheus's last scrape of ${host} failed (up is 0).` : null,
      scrapeMs,
      counters: null,
      figures: {
        cores: figures.cores.sort((a, b) => a.id - b.id),
        memory,
        loadAverage: figures.load.every((value) => value !== null) ? (figures.load as [number, number, number]) : null,
        processes: null,
      },
    });
  }
  return readings;
}
