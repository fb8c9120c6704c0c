import type { HostReading } from '../model/host-sample.js';
import { FetchError } from './fetch-errors.js';
import { fetchText } from './fetch-text.js';
import type { HostSource, PollContext } from './host-source.js';
import { inertText } from './host-text.js';
import {
  hostQueries,
  type QueryAnswers,
  queryAnswer,
  readingsFromAnswers,
  type VectorSample,
} from './prometheus-queries.js';

class QueryFailed extends Error {}

/**
 * A Prometheus server's HTTP API: one host per instance it scrapes (narrowed by the selector). When
 * Prometheus itself cannot be asked, the one reading is of Prometheus, down, saying why.
 */
export function createPrometheusSource(baseUrl: string, selector: string): HostSource {
  const queries = hostQueries(selector);
  const label = inertText(baseUrl);
  const ask = async (query: string, context: PollContext): Promise<VectorSample[]> => {
    const url = new URL('api/v1/query', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
    url.searchParams.set('query', query);
    const { status, body } = await fetchText(url, {
      signal: context.signal,
      host: label,
      accept: 'application/json',
      agents: context.agents,
      timeoutMs: context.timeoutMs,
    });
    const answer = queryAnswer(status, body);
    if ('error' in answer) throw new QueryFailed(`Prometheus at ${label} ${answer.error}.`);
    return answer;
  };
  return {
    kind: 'prometheus',
    label,
    async read(context: PollContext): Promise<HostReading[]> {
      const started = performance.now();
      const at = Date.now();
      try {
        const [up, busy, memory, load] = await Promise.all([
          ask(queries.up, context),
          ask(queries.busy, context),
          ask(queries.memory, context),
          ask(queries.load, context),
        ]);
        const answers: QueryAnswers = { up, busy, memory, load };
        return readingsFromAnswers(answers, at, performance.now() - started);
      } catch (error) {
        const sentence =
          error instanceof FetchError || error instanceof QueryFailed ? error.message : `asking ${label} failed.`;
        return [
          {
            host: label,
            name: 'Prometheus',
            source: 'prometheus',
            at,
            up: false,
            error: sentence,
            scrapeMs: null,
            counters: null,
            figures: null,
          },
        ];
      }
    },
  };
}
