import { type Metric, type RegistryContentType, Registry } from 'prom-client';
import type { ExpositionFormat } from './accept.js';
import type { MetricFamily } from './metric-family.js';

export interface Exposition {
  contentType: string;
  body: string;
}

/**
 * prom-client writes the format and escapes label values and help. Figures measured by the kernel
 * are given to it as constant metrics, made afresh per scrape (as Go's MustNewConstMetric and
 * Python's CounterMetricFamily do): its Counter cannot be set to an absolute value, and resetting
 * then incrementing one on every scrape is the anti-pattern its maintainers warn against.
 */
export async function expose(families: readonly MetricFamily[], format: ExpositionFormat): Promise<Exposition> {
  const openMetrics = format === 'openmetrics';
  const registry = new Registry<RegistryContentType>();
  if (openMetrics) registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  for (const metric of families) {
    // The text format names every counter sample `_total`; prom-client adds that suffix only for OpenMetrics.
    const name = metric.type === 'counter' && !openMetrics ? `${metric.name}_total` : metric.name;
    const values = metric.samples.map((sample) => ({ labels: sample.labels, value: sample.value }));
    const constant = {
      name,
      help: metric.help,
      type: metric.type,
      aggregator: 'sum',
      get: () => ({ ...constant, values }),
    };
    // The registry reads a metric through name, type and get(); a constant metric has nothing else to offer.
    registry.registerMetric(constant as unknown as Metric);
  }
  return { contentType: registry.contentType, body: await registry.metrics() };
}
