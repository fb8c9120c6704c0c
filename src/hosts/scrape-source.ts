import type { HostReading } from '../model/host-sample.js';
import { countersFromSeries } from './exporter-readers.js';
import { FetchError } from './fetch-errors.js';
import { fetchText } from './fetch-text.js';
import type { HostSource, PollContext } from './host-source.js';
import type { HostTarget } from './host-target.js';
import { inertText } from './host-text.js';
import { isWantedMetric } from './metric-names.js';
import { MetricsFormatError, parsePrometheusText } from './prometheus-text.js';

/** The text format first: OpenMetrics adds nothing paratop reads. */
const ACCEPT = 'text/plain;version=0.0.4;q=1.0,*/*;q=0.1';

/** The reading of a body: counters, or why there are none. Pure, so fixtures test it. */
export function readingFromBody(
  target: HostTarget,
  body: string,
  at: number,
  scrapeMs: number,
): Omit<HostReading, 'source' | 'figures'> {
  const base = { host: target.host, name: target.name, at, scrapeMs };
  try {
    const counters = countersFromSeries(parsePrometheusText(body, isWantedMetric));
    if (!counters) {
      return {
        ...base,
        up: true,
        error:
          `${target.host} answered, but with none of the series paratop reads ` +
          '(node_exporter, process-exporter, paratop).',
        counters: null,
      };
    }
    return { ...base, up: true, error: null, counters };
  } catch (error) {
    if (!(error instanceof MetricsFormatError)) throw error;
    return {
      ...base,
      up: false,
      error: `${target.host} sent metrics paratop cannot read: ${error.message}.`,
      counters: null,
    };
  }
}

/** One exporter (node_exporter, process-exporter or paratop's own /metrics) on one host. */
export function createScrapeSource(target: HostTarget): HostSource {
  return {
    kind: 'scrape',
    label: target.host,
    async read(context: PollContext): Promise<HostReading[]> {
      const started = performance.now();
      const at = Date.now();
      try {
        const { status, body } = await fetchText(new URL(target.url), {
          signal: context.signal,
          host: target.host,
          accept: ACCEPT,
          agents: context.agents,
          timeoutMs: context.timeoutMs,
        });
        const scrapeMs = performance.now() - started;
        if (status !== 200) {
          const error = `${target.host} answered HTTP ${status} instead of metrics.`;
          return [
            {
              host: target.host,
              name: target.name,
              source: 'scrape',
              at,
              up: false,
              error,
              scrapeMs,
              counters: null,
              figures: null,
            },
          ];
        }
        return [{ ...readingFromBody(target, body, at, scrapeMs), source: 'scrape', figures: null }];
      } catch (error) {
        const sentence = error instanceof FetchError ? error.message : `reading ${target.host} failed.`;
        return [
          {
            host: target.host,
            name: target.name,
            source: 'scrape',
            at,
            up: false,
            error: inertText(sentence, 400),
            scrapeMs: null,
            counters: null,
            figures: null,
          },
        ];
      }
    },
  };
}
