import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { CHILD_RESTART, type RestartPolicy, planRestart } from '../../model/restart-backoff.js';
import type { GpuProcessFigures, GpuSample } from '../../model/types.js';
import type { GpuSource } from '../gpu-source.js';
import { NvidiaSmiState } from './nvidia-smi-state.js';
import { nvidiaSmiArgs } from './parse-nvidia-smi.js';
import { nvidiaSmiPmonArgs, pmonSeconds } from './parse-nvidia-smi-pmon.js';

export interface NvidiaSmiOptions {
  /** The nvidia-smi found on the PATH. */
  command: string;
  /** How often nvidia-smi prints a loop (-lms). */
  loopMs: number;
  restart?: RestartPolicy;
  /** A monotonic clock, ms. */
  now?: () => number;
}

type Stream = 'gpu' | 'apps' | 'pmon';
const STREAMS: readonly Stream[] = ['gpu', 'apps', 'pmon'];

/**
 * nvidia-smi under a watching shell: it holds paratop's end of a pipe on stdin, and when that pipe
 * closes (close(), or paratop killed outright) it ends nvidia-smi. An idle GPU's process query prints
 * nothing for hours, so waiting for a write to a closed pipe would leave it running. The shell exits
 * with nvidia-smi's status, so a death is still seen and restarted.
 */
const WATCHED = [
  'exec 3<&0',
  '"$@" <&- &',
  'child=$!',
  '{ read -r _ <&3; kill "$child" 2>/dev/null; } &',
  'watcher=$!',
  'exec 3<&-',
  'wait "$child"',
  'status=$?',
  'kill "$watcher" 2>/dev/null',
  'exit "$status"',
].join('\n');

/** After close(), how long a child that ignores the end of its pipe gets before SIGKILL. */
const KILL_AFTER_MS = 1000;

/**
 * NVIDIA GPUs through nvidia-smi's looping queries: one long-lived child for the GPUs, one for the
 * compute processes' memory and one (`pmon`) for each process's share of the GPU, each read line by
 * line, never a process per refresh. A child that dies is started again, no sooner than the restart
 * policy allows; close() ends them all for good.
 */
export class NvidiaSmiSource implements GpuSource {
  readonly kind = 'nvidia-smi' as const;
  readonly note: string;
  private readonly state: NvidiaSmiState;
  private readonly children = new Map<Stream, ChildProcess>();
  private readonly startedAt = new Map<Stream, number>();
  private readonly youngDeaths = new Map<Stream, number>();
  private readonly timers = new Map<Stream, NodeJS.Timeout>();
  private readonly waiting: (() => void)[] = [];
  private readonly now: () => number;
  private readonly restart: RestartPolicy;
  private closed = false;
  private starts = 0;
  private lastExit: string | null = null;

  constructor(private readonly options: NvidiaSmiOptions) {
    this.now = options.now ?? (() => performance.now());
    this.restart = options.restart ?? CHILD_RESTART;
    this.state = new NvidiaSmiState(Math.max(3 * options.loopMs, 1500), 3 * pmonSeconds(options.loopMs) * 1000);
    this.note =
      `nvidia-smi (${options.command}), looping every ${options.loopMs} ms; ` +
      `pmon every ${pmonSeconds(options.loopMs)} s for GPU%`;
  }

  /** How many children have been started, restarts included (for tests and diagnostics). */
  get startCount(): number {
    return this.starts;
  }

  /** Why the last child ended, if one did. */
  get lastExitReason(): string | null {
    return this.lastExit;
  }

  start(): void {
    if (this.closed) return;
    for (const stream of STREAMS) if (!this.children.has(stream)) this.launch(stream);
  }

  ready(timeoutMs: number): Promise<void> {
    if (this.state.ready || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiting.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  sampleGpus(): GpuSample[] {
    return this.state.gpuSamples(this.now());
  }

  sampleProcessUse(pids: readonly number[]): Map<number, GpuProcessFigures> {
    const all = this.state.processUse(this.now());
    const wanted = new Set(pids);
    return new Map([...all].filter(([pid]) => wanted.has(pid)));
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const child of this.children.values()) {
      child.removeAllListeners('exit');
      // The shell's watcher ends nvidia-smi when the pipe closes; a driver stuck in the kernel gets SIGKILL.
      child.stdin?.destroy();
      child.stdout?.destroy();
      child.stderr?.destroy();
      const pid = child.pid;
      if (pid !== undefined)
        setTimeout(() => {
          try {
            process.kill(-pid, 'SIGKILL');
          } catch {
            // gone already
          }
        }, KILL_AFTER_MS).unref();
      // A headless command's exit must not wait for a child that will not end.
      child.unref();
    }
    this.children.clear();
    this.wake();
  }

  private launch(stream: Stream): void {
    this.timers.delete(stream);
    if (this.closed) return;
    const args =
      stream === 'pmon' ? nvidiaSmiPmonArgs(this.options.loopMs) : nvidiaSmiArgs(stream, this.options.loopMs);
    // Its own process group, so close() can end the shell and nvidia-smi together if it must.
    const child = spawn('/bin/sh', ['-c', WATCHED, 'paratop-nvidia-smi', this.options.command, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    this.starts += 1;
    this.children.set(stream, child);
    this.startedAt.set(stream, this.now());
    const onLine = (line: string): void => {
      if (stream === 'apps') this.state.appLine(line, this.now());
      else if (stream === 'pmon') this.state.pmonLine(line, this.now());
      else {
        this.state.gpuLine(line, this.now());
        if (this.state.ready) this.wake();
      }
    };
    // A GPU that falls off the bus is reported on any stream, so stderr is read too.
    if (child.stdout) createInterface({ input: child.stdout }).on('line', onLine);
    if (child.stderr) createInterface({ input: child.stderr }).on('line', onLine);
    child.on('error', (error) => {
      this.lastExit = `nvidia-smi could not start: ${error.message}`;
    });
    child.on('exit', (code, signal) => this.exited(stream, child, code, signal));
  }

  private exited(stream: Stream, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.children.get(stream) !== child) return;
    this.children.delete(stream);
    this.lastExit = `nvidia-smi ended (${signal ?? `exit code ${code}`})`;
    if (this.closed) return;
    const plan = planRestart(
      this.startedAt.get(stream) ?? 0,
      this.now(),
      this.youngDeaths.get(stream) ?? 0,
      this.restart,
    );
    this.youngDeaths.set(stream, plan.youngDeaths);
    const timer = setTimeout(() => this.launch(stream), plan.delayMs);
    // A pending restart must not keep a headless command alive on its own.
    timer.unref();
    this.timers.set(stream, timer);
  }

  private wake(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}
