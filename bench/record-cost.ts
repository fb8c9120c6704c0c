import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRecordingFile } from '../src/app/recording-file.js';
import { RecordingLines } from '../src/model/recording-lines.js';
import { createSampler } from '../src/sampler/create-sampler.js';
import { BIN } from './paths.js';
import { type SelfCost, type Tool, measureSelfCost } from './self-cost.js';

export interface RecordRun extends SelfCost {
  /** bytes the recording grew by per second of the window; null without --record */
  bytesPerSecond: number | null;
}

export interface WriteCost {
  format: 'plain' | 'gzip';
  processes: number;
  /** serializing one sample line (JSON of every process), ms */
  lineMs: number;
  /** one flush of a second's lines to the file (gzip: compressing them), ms: the longest the event loop waits */
  flushMs: number;
  flushMaxMs: number;
  lineBytes: number;
  fileBytesPerLine: number;
}

export interface RecordCost {
  runs: RecordRun[];
  writes: WriteCost[];
}

/**
 * The dashboard at 1 s with and without --record (plain and .gz), each in the same pseudo-terminal
 * set-up as the self-cost runs, alternated twice so drift on a shared machine falls on both; and,
 * in this process, what one line and one flush cost with the real process list.
 */
export async function measureRecordCost(warmup: number, window: number): Promise<RecordCost> {
  const folder = mkdtempSync(join(tmpdir(), 'paratop-bench-record-'));
  const runs: RecordRun[] = [];
  try {
    const variants: { tool: Tool; file: string | null }[] = [
      { tool: { name: 'paratop', command: process.execPath, args: [BIN] }, file: null },
      ...['rec.ndjson', 'rec.ndjson.gz'].map((name) => ({
        tool: {
          name: `paratop --record ${name}`,
          command: process.execPath,
          args: [BIN, '--record', join(folder, name)],
        },
        file: join(folder, name),
      })),
    ];
    for (let round = 0; round < 2; round += 1) {
      for (const { tool, file } of round === 0 ? variants : [...variants].reverse()) {
        process.stdout.write(`  measuring ${tool.name} (${warmup + window} s)…\n`);
        const size = (): number => (file ? (statSync(file, { throwIfNoEntry: false })?.size ?? 0) : 0);
        let [before, after] = [0, 0];
        const cost = await measureSelfCost(tool, warmup, window, {
          start: () => (before = size()),
          end: () => (after = size()),
        });
        runs.push({ ...cost, bytesPerSecond: file ? (after - before) / window : null });
      }
    }
    return { runs, writes: await measureWrites(folder) };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function measureWrites(folder: string): Promise<WriteCost[]> {
  const sampler = await createSampler('auto');
  await Promise.all([sampler.sampleSystem(), sampler.sampleProcesses()]);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const [system, processes] = await Promise.all([sampler.sampleSystem(), sampler.sampleProcesses()]);
  const writes: WriteCost[] = [];
  for (const format of ['plain', 'gzip'] as const) {
    const file = openRecordingFile(join(folder, `write.ndjson${format === 'gzip' ? '.gz' : ''}`));
    const lines = new RecordingLines((text) => file.write(text), { sampler: sampler.kind, intervalSeconds: 1 });
    const lineTimes: number[] = [];
    const flushTimes: number[] = [];
    let lineBytes = 0;
    const rounds = 60;
    for (let round = 0; round < rounds; round += 1) {
      let text = '';
      const probe = new RecordingLines((line) => (text = line), { sampler: sampler.kind, intervalSeconds: 1 });
      const started = performance.now();
      lines.sample({ system, processes, threads: null });
      lineTimes.push(performance.now() - started);
      probe.sample({ system, processes, threads: null });
      lineBytes = text.length;
      const flushed = performance.now();
      file.flush();
      flushTimes.push(performance.now() - flushed);
    }
    file.close();
    const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
    writes.push({
      format,
      processes: processes.length,
      lineMs: mean(lineTimes),
      flushMs: mean(flushTimes),
      flushMaxMs: Math.max(...flushTimes),
      lineBytes,
      fileBytesPerLine: file.bytesWritten / rounds,
    });
  }
  return writes;
}
