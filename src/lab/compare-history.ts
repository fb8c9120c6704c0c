import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** One row of a runtime comparison: how one way of splitting the work did. */
export interface CompareRow {
  variant: string;
  workers: number;
  wallSeconds: number;
  cpuSeconds: number | null;
  coresUsed: number | null;
  speedup: number | null;
}

export interface CompareEntry {
  takenAt: string;
  cores: number;
  totalUnits: number;
  rows: CompareRow[];
}

/** $XDG_DATA_HOME/paratop (default ~/.local/share/paratop), where runs are kept between sessions. */
export function dataDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_DATA_HOME?.startsWith('/') ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share');
  return join(base, 'paratop');
}

export function compareHistoryFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataDirectory(env), 'compare-history.ndjson');
}

export function appendCompareEntry(entry: CompareEntry, env: NodeJS.ProcessEnv = process.env): string {
  const file = compareHistoryFile(env);
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(entry)}\n`);
  return file;
}

/** Every comparison kept so far, oldest first; lines that do not parse are skipped. */
export function readCompareHistory(env: NodeJS.ProcessEnv = process.env): CompareEntry[] {
  let text: string;
  try {
    text = readFileSync(compareHistoryFile(env), 'utf8');
  } catch {
    return [];
  }
  const entries: CompareEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      entries.push(JSON.parse(line) as CompareEntry);
    } catch {
      // a line cut short by a crash: leave it out
    }
  }
  return entries;
}
