/**
 * A strict reader of the Prometheus text format (0.0.4, and OpenMetrics' `# EOF`) for the few
 * series paratop reads. Lines of other metrics are skipped by name before their labels are read,
 * so a large exporter's body costs little; a line paratop reads that is not well formed is an error.
 */

export interface Series {
  name: string;
  labels: Readonly<Record<string, string>>;
  value: number;
}

export class MetricsFormatError extends Error {
  readonly code = 'PARATOP_METRICS_FORMAT';
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
/** A label set bigger than this is not an exporter's: it is a body meant to use memory. */
const MAX_LABELS = 64;

function parseValue(text: string): number | null {
  if (text === 'NaN') return Number.NaN;
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return null;
  return Number(text);
}

/** The quoted label value starting at `at` (just after the opening quote); returns it and the index after the quote. */
function readQuoted(line: string, at: number): { value: string; end: number } | null {
  let value = '';
  for (let index = at; index < line.length; index += 1) {
    const char = line[index];
    if (char === '"') return { value, end: index + 1 };
    if (char === '\\') {
      const next = line[index + 1];
      if (next === 'n') value += '\n';
      else if (next === '\\' || next === '"') value += next;
      else return null;
      index += 1;
    } else {
      value += char;
    }
  }
  return null;
}

/** `{a="1",b="2"}` from `at` (the opening brace); returns the labels and the index after the brace. */
function readLabels(line: string, at: number): { labels: Record<string, string>; end: number } | null {
  const labels: Record<string, string> = Object.create(null);
  let index = at + 1;
  let count = 0;
  for (;;) {
    while (line[index] === ' ') index += 1;
    if (line[index] === '}') return { labels, end: index + 1 };
    const name = LABEL_NAME.exec(line.slice(index, index + 256))?.[0];
    if (!name) return null;
    index += name.length;
    while (line[index] === ' ') index += 1;
    if (line[index] !== '=') return null;
    index += 1;
    while (line[index] === ' ') index += 1;
    if (line[index] !== '"') return null;
    const quoted = readQuoted(line, index + 1);
    if (!quoted || name in labels || ++count > MAX_LABELS) return null;
    labels[name] = quoted.value;
    index = quoted.end;
    while (line[index] === ' ') index += 1;
    if (line[index] === ',') index += 1;
    else if (line[index] !== '}') return null;
  }
}

/** One sample line; null when it is not well formed. */
function parseLine(line: string, name: string): Series | null {
  let index = name.length;
  let labels: Record<string, string> = Object.create(null);
  if (line[index] === '{') {
    const read = readLabels(line, index);
    if (!read) return null;
    labels = read.labels;
    index = read.end;
  }
  const rest = line
    .slice(index)
    .trim()
    .split(/[ \t]+/);
  if (rest.length < 1 || rest.length > 2 || (rest.length === 2 && !/^-?\d+(\.\d+)?$/.test(rest[1] ?? ''))) return null;
  const value = parseValue(rest[0] ?? '');
  return value === null ? null : { name, labels, value };
}

/**
 * The series whose names `wanted` accepts, in body order. Throws MetricsFormatError naming the line
 * when a wanted line, or any line's metric name, is not well formed.
 */
export function parsePrometheusText(body: string, wanted: (name: string) => boolean): Series[] {
  const series: Series[] = [];
  let start = 0;
  let lineNumber = 0;
  while (start < body.length) {
    let end = body.indexOf('\n', start);
    if (end === -1) end = body.length;
    lineNumber += 1;
    const line = body.charCodeAt(end - 1) === 13 ? body.slice(start, end - 1) : body.slice(start, end);
    start = end + 1;
    if (line === '' || line.startsWith('#')) continue;
    const name = NAME.exec(line.slice(0, 512))?.[0];
    if (!name || !(line.length === name.length || /[{ \t]/.test(line[name.length] ?? ''))) {
      throw new MetricsFormatError(`line ${lineNumber} does not start with a metric name`);
    }
    if (!wanted(name)) continue;
    const parsed = parseLine(line, name);
    if (!parsed) throw new MetricsFormatError(`line ${lineNumber} (${name}) is not a well-formed sample`);
    series.push(parsed);
  }
  return series;
}
