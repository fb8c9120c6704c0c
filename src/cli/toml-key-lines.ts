/**
 * The line each key of a TOML file is on, as "table.key" (top-level keys bare), so a problem with a
 * value can name its line. Tables and plain `key =` lines only: what a settings file holds.
 */
export function tomlKeyLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let table = '';
  text.split('\n').forEach((line, index) => {
    const header = /^\s*\[\s*([^\]\s]+)\s*\]/.exec(line);
    if (header) {
      table = unquote(header[1] ?? '');
      if (!lines.has(table)) lines.set(table, index + 1);
      return;
    }
    const key = /^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=/.exec(line);
    if (!key) return;
    const path = table ? `${table}.${unquote(key[1] ?? '')}` : unquote(key[1] ?? '');
    if (!lines.has(path)) lines.set(path, index + 1);
  });
  return lines;
}

function unquote(name: string): string {
  return name
    .split('.')
    .map((part) => part.trim().replace(/^(["'])(.*)\1$/, '$2'))
    .join('.');
}
