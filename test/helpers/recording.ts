import type { PlacedTask } from '../../src/model/core-map.js';
import type { RunResult, RunSnapshot } from '../../src/model/lab-types.js';
import { RecordingLines } from '../../src/model/recording-lines.js';
import type { GpuSample, SystemSample } from '../../src/model/types.js';
import { machineFacts, processSample } from './samples.js';

export const T0 = Date.parse('2026-01-05T10:00:00.000Z');

export function systemAt(at: number, busy: [number, number]): SystemSample {
  const core = (id: number, total: number) => ({
    id,
    user: total,
    system: 0,
    iowait: 0,
    steal: 0,
    idle: 100 - total,
    total,
  });
  return {
    at,
    cores: [core(0, busy[0]), core(1, busy[1])],
    cpu: {
      user: (busy[0] + busy[1]) / 2,
      system: 0,
      iowait: 0,
      steal: 0,
      idle: 100 - (busy[0] + busy[1]) / 2,
      total: (busy[0] + busy[1]) / 2,
    },
    memory: {
      totalBytes: 2 ** 30,
      usedBytes: 2 ** 29,
      availableBytes: 2 ** 29,
      freeBytes: 2 ** 28,
      buffersBytes: 0,
      cachedBytes: 0,
      swapTotalBytes: 0,
      swapUsedBytes: 0,
    },
    loadAverage: [1, 0.5, 0.25],
    uptimeSeconds: 1000 + (at - T0) / 1000,
    kernel: null,
  };
}

export function gilRun(fields: Partial<RunSnapshot> = {}): RunSnapshot {
  return {
    scenarioId: 'gil-threads',
    title: 'Threads under a GIL-like lock',
    kind: 'threads',
    workers: 2,
    phase: 'running',
    startedAt: T0 + 100,
    pids: [4000],
    hostName: 'gil-host',
    step: null,
    ctxPerSecond: null,
    elapsedSeconds: 1,
    units: 10,
    coresUsed: 1,
    workerStates: [
      { index: 1, pid: 4000, tid: 4010, name: 'gil-worker-1', units: 5, cpuSeconds: 0.5, cpu: 50, exit: null },
      { index: 2, pid: 4000, tid: 4011, name: 'gil-worker-2', units: 5, cpuSeconds: 0.5, cpu: 50, exit: null },
    ],
    ...fields,
  };
}

export function gilResult(): RunResult {
  return {
    scenarioId: 'gil-threads',
    title: 'Threads under a GIL-like lock',
    kind: 'threads',
    workers: 2,
    wallSeconds: 3,
    cpuSeconds: 3,
    coresUsed: 1,
    units: 30,
    unitsPerSecond: 10,
    perCore: null,
    speedup: null,
    stoppedBy: 'asked',
    perWorker: [],
    joined: [],
    summary: '2 workers for 3.0 s: 1.00 cores busy on average.',
  };
}

/**
 * A known run as a recording: 5 samples a second apart, a GIL run of two threads from 0.5 s to
 * 3.5 s that take turns on core 0 then core 1 (placements every 250 ms), its end and its result.
 */
export function knownRecordingText(gpus?: readonly GpuSample[]): string {
  const out: string[] = [];
  const lines = new RecordingLines((text) => out.push(text), { sampler: 'linux-proc', intervalSeconds: 1 });
  lines.header({ startedAt: new Date(T0).toISOString(), source: 'lab', cores: [0, 1], machine: machineFacts() });
  const processes = [processSample({ pid: 4000, name: 'gil-host', cpu: 100, lastCpu: 0 }), processSample({ pid: 1 })];
  const threads = (at: number) => [
    { ...processSample({ pid: 4000 }), tid: 4010, name: 'gil-worker-1', cpu: 50, lastCpu: at % 2 === 0 ? 0 : 1 },
    { ...processSample({ pid: 4000 }), tid: 4011, name: 'gil-worker-2', cpu: 50, lastCpu: 1 },
  ];
  for (let second = 1; second <= 5; second += 1) {
    const at = T0 + second * 1000;
    const running = second >= 1 && second <= 3;
    if (second === 1) lines.lab(gilRun(), null, T0 + 100);
    if (running) {
      for (let slice = 0; slice < 4; slice += 1) {
        const sliceAt = at - 800 + slice * 250;
        const first = slice % 2 === 0;
        const tasks: PlacedTask[] = [
          { key: '4000/4010', label: 'gil-worker-1', cpu: second <= 2 ? 0 : 1, running: first },
          { key: '4000/4011', label: 'gil-worker-2', cpu: second <= 2 ? 0 : 1, running: !first },
        ];
        lines.placements(tasks, sliceAt);
      }
    }
    lines.sample({
      system: systemAt(at, running ? [second <= 2 ? 100 : 0, second <= 2 ? 0 : 100] : [2, 3]),
      processes,
      threads: running ? { pid: 4000, threads: threads(second) } : null,
      ...(gpus ? { gpus } : {}),
    });
    if (second === 3) lines.lab(null, gilResult(), at + 500);
  }
  return out.join('');
}
