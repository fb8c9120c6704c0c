import type { HostSource } from './host-source.js';
import type { HostTarget } from './host-target.js';
import { createPrometheusSource } from './prometheus-source.js';
import { createScrapeSource } from './scrape-source.js';

/** Which other hosts to read: exporters to scrape, and a Prometheus server to ask. */
export interface HostsChoice {
  targets: HostTarget[];
  prometheus: string | null;
  /** label matchers, without braces; '' for none */
  selector: string;
}

export function hostSources(choice: HostsChoice): HostSource[] {
  const sources = choice.targets.map(createScrapeSource);
  if (choice.prometheus !== null) sources.push(createPrometheusSource(choice.prometheus, choice.selector));
  return sources;
}

/** Where the hosts come from, in words: "3 exporters", "Prometheus at URL", or both. */
export function hostsLabel(choice: HostsChoice): string {
  const count = choice.targets.length;
  const parts = count > 0 ? [`${count} exporter${count === 1 ? '' : 's'}`] : [];
  if (choice.prometheus !== null) {
    const selector = choice.selector ? ` {${choice.selector}}` : '';
    parts.push(`Prometheus at ${choice.prometheus}${selector}`);
  }
  return parts.join(' and ');
}
