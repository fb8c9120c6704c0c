/** Which exposition format a scraper asked for in its Accept header. */
export type ExpositionFormat = 'prometheus' | 'openmetrics';

interface Offer {
  type: string;
  version: string | null;
  q: number;
}

function offers(accept: string): Offer[] {
  return accept.split(',').map((part) => {
    const [type = '', ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
    let version: string | null = null;
    let q = 1;
    for (const parameter of parameters) {
      const [name, value = ''] = parameter.split('=').map((piece) => piece.trim());
      if (name === 'version') version = value;
      else if (name === 'q') q = Number.isFinite(Number(value)) ? Number(value) : 0;
    }
    return { type, version, q };
  });
}

/**
 * OpenMetrics 1.0 when the scraper prefers it (Prometheus asks for it first), else the text format
 * 0.0.4, which every scraper takes. A request for OpenMetrics 0.0.1 alone gets the text format.
 */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  if (!accept) return 'prometheus';
  let openMetrics = 0;
  let text = 0;
  for (const offer of offers(accept)) {
    if (offer.type === 'application/openmetrics-text' && (offer.version === null || offer.version === '1.0.0'))
      openMetrics = Math.max(openMetrics, offer.q);
    else if (offer.type === 'text/plain' || offer.type === '*/*' || offer.type === 'text/*')
      text = Math.max(text, offer.q);
  }
  return openMetrics > 0 && openMetrics >= text ? 'openmetrics' : 'prometheus';
}
