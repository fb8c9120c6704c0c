import { basename } from 'node:path';
import type { ResultPromise } from 'execa';
import type { FromKeeper, KeeperSpec, ToKeeper } from './protocol.js';
import type { StopReason, WorkerState } from '../model/lab-types.js';
import { OutputLog, type OutputLine } from '../model/output-log.js';
import { deferred } from './deferred.js';
import { OutputPump } from './output-pump.js';
import { climbStopLadder, stopStages } from './stop-ladder.js';
import { ThreadRows } from './thread-rows.js';
import type { CpuTimes } from '../model/types.js';
import { CommandLineError, type CommandRequest } from './command-line.js';
import { workloadPath } from './launch-workload.js';
import type { LiveGroup } from './live-group.js';
import type { ProcessTreeScanner } from '../sampler/process-tree-scanner.js';
import { type CommandProcess, CommandTree } from './command-tree.js';
import { followTree } from './process-tree.js';
import { signalQuietly } from './signal-quietly.js';
import type { TaskProbe } from '../sampler/task-probe.js';

export interface CommandRunDeps {
  scanner: ProcessTreeScanner;
  probe: TaskProbe;
  stageMs: { ask: number; terminate: number; kill: number };
  /** Something worth redrawing happened (output, a process came or went). */
  onChange(): void;
  /** Each piece of output as it arrives (`lab exec` passes it on to the terminal). */
  onOutput?(stream: OutputLine['stream'], text: string): void;
  /**
   * Read at most this much output per second (characters); a program printing faster waits on
   * its writes, as it would on a slow terminal. None: as fast as it comes.
   */
  outputPerSecond?: number;
}

export interface CommandMeasure {
  wallSeconds: number;
  cpuSeconds: number | null;
  coresBefore: (CpuTimes | undefined)[] | null;
  coresAfter: (CpuTimes | undefined)[] | null;
  processes: CommandProcess[];
  peakProcesses: number;
  peakThreads: number;
}

const START_TIMEOUT_MS = 15_000;
/** How often output may trigger a redraw. */
const OUTPUT_REDRAW_MS = 250;
const POLL_MS = 100;
/** How long a stop waits for the keeper's last sweep (a second at most) and exit. */
const KEEPER_EXIT_MS = 2000;

/**
 * The user's command, started by the keeper in a session of its own, and followed as it runs: its
 * whole process tree (children, grandchildren, re-parented orphans), every thread, their CPU time,
 * and its output. Stops in stages (SIGINT as Ctrl-C would, SIGTERM, SIGKILL) to the process group
 * and to any process that left it.
 */
export class CommandRun implements LiveGroup {
  readonly kind = 'processes' as const;
  readonly hostName = null;
  readonly ctxPerSecond = null;
  readonly output = new OutputLog();
  readyAt = 0;
  /** How the command ended; null while it runs. */
  exit: { code: number | null; signal: string | null } | null = null;
  /** Processes of the command still running when it ended, stopped with it. */
  leftovers = 0;
  private readonly ended = deferred();
  /** Resolves when the command itself has ended. */
  readonly finished = this.ended.promise;
  private endedAt = 0;
  /** The command's run time as its parent (the keeper) measured it: exact even for a short command. */
  private exactWallSeconds: number | null = null;
  private readonly tree = new CommandTree();
  /** The command's own CPU time and its reaped descendants', from the keeper once it has ended. */
  private rootFinalCpu: number | null = null;
  private threads: WorkerState[] = [];
  private readonly threadRows = new ThreadRows();
  private lastSampleAt = 0;
  private coresAtStart: (CpuTimes | undefined)[] | null = null;
  private stopping: Promise<StopReason> | null = null;
  private redrawTimer: NodeJS.Timeout | undefined;
  private keeper: ResultPromise | null = null;
  private pump: OutputPump | null = null;
  /** What the keeper was last told paratop follows, so an unchanged tree is not sent again. */
  private toldKeeper = '';

  private constructor(
    readonly request: CommandRequest,
    private readonly deps: CommandRunDeps,
  ) {}

  get workerCount(): number {
    return this.tree.live().size;
  }

  get rootPid(): number {
    return this.tree.rootPid;
  }

  /** Start the command through the keeper; resolves once it runs. `track` hears of the run at once. */
  static async start(
    request: CommandRequest,
    deps: CommandRunDeps,
    track: (run: CommandRun) => void,
  ): Promise<CommandRun> {
    const run = new CommandRun(request, deps);
    track(run);
    const spec: KeeperSpec = { argv: request.argv, cwd: process.cwd(), parentPid: process.pid };
    // Loaded on first use, as for the lab's own workloads.
    const { execa } = await import('execa');
    const keeper = execa(process.execPath, [workloadPath('command-keeper'), JSON.stringify(spec)], {
      ipc: true,
      serialization: 'json',
      stdin: 'ignore',
      stdout: 'pipe',
      stderr: 'pipe',
      buffer: false,
      reject: false,
      // execa ends the keeper when paratop exits normally; the keeper then ends the command's session.
      cleanup: true,
    });
    run.keeper = keeper;
    const streams = [
      ['out', keeper.stdout],
      ['err', keeper.stderr],
    ] as const;
    run.pump = new OutputPump(streams, {
      perSecond: deps.outputPerSecond,
      onText: (stream, text) => run.print(stream, text),
    });
    const running = deferred(true);
    const failed = (error: Error): void => running.reject(error);
    void (async () => {
      try {
        for await (const message of keeper.getEachMessage()) {
          const fromKeeper = message as FromKeeper;
          if (fromKeeper.type === 'started') {
            run.begin(fromKeeper.pid);
            running.resolve();
          } else if (fromKeeper.type === 'spawn-failed')
            failed(new CommandLineError(`could not start ${request.display}: ${fromKeeper.message}`));
          else run.end(fromKeeper);
        }
      } catch {
        // the channel closed with the keeper
      }
    })();
    keeper.once('exit', () => {
      failed(new Error(`paratop's command keeper ended before ${request.display} started`));
      // Without its keeper the command has no exact end figures; what was last read stands.
      run.end({ type: 'exited', code: null, signal: null, cpuSeconds: null, wallSeconds: null }, true);
    });
    const timeout = setTimeout(
      () => failed(new Error(`${request.display} did not start within ${START_TIMEOUT_MS / 1000} s`)),
      START_TIMEOUT_MS,
    );
    try {
      await running.promise;
      return run;
    } catch (error) {
      run.killNow();
      throw error;
    } finally {
      clearTimeout(timeout);
    }
  }

  pids(): number[] {
    return this.livePids();
  }

  livePids(): number[] {
    return [...this.tree.live().keys()];
  }

  alive(): boolean {
    return this.exit === null || this.tree.live().size > 0;
  }

  elapsedSeconds(): number {
    if (this.readyAt === 0) return 0;
    if (this.exactWallSeconds !== null) return this.exactWallSeconds;
    return ((this.endedAt || performance.now()) - this.readyAt) / 1000;
  }

  /** The CPU time of the command and everything it started, ended processes included. */
  cpuSeconds(): number | null {
    return this.readyAt === 0 ? null : this.tree.cpuSeconds(this.rootFinalCpu);
  }

  workerStates(): WorkerState[] {
    return this.threads.map((thread) => ({ ...thread }));
  }

  units(): number {
    return 0;
  }

  outputLines(): OutputLine[] {
    return this.output.lines();
  }

  /** Follow the tree: who joined, who left, and every thread's CPU use. */
  sample(): void {
    if (this.readyAt === 0) return;
    const now = performance.now();
    const elapsed = (now - this.lastSampleAt) / 1000;
    const members = followTree(this.deps.scanner.read(), this.tree.followed(), this.rootPid);
    const changed = this.tree.update(members, (now - this.readyAt) / 1000);
    const threads: WorkerState[] = [];
    for (const link of members) {
      const seen = this.deps.scanner.threads(link.pid);
      // Where threads cannot be seen (macOS), the process stands for its threads.
      const readings = seen.length > 0 ? seen : [{ tid: null, name: link.name, cpuSeconds: link.cpuSeconds }];
      threads.push(...this.threadRows.rows(link.pid, readings, elapsed));
    }
    this.threads = threads;
    this.lastSampleAt = now;
    if (changed) {
      this.tellKeeper();
      this.deps.onChange();
    }
  }

  /**
   * Tell the keeper every process followed now (PID and start time). Should paratop die without
   * stopping the command (SIGKILL), the keeper ends these as well as the command's session, so a
   * process that left the session with setsid is not left running, provided paratop had seen it.
   */
  private tellKeeper(): void {
    const processes = [...this.tree.live().values()].map((link): [number, string] => [link.pid, link.startToken]);
    const text = JSON.stringify(processes);
    if (!this.keeper || text === this.toldKeeper) return;
    this.toldKeeper = text;
    const message: ToKeeper = { type: 'followed', processes };
    try {
      this.keeper.sendMessage?.(message).catch(() => undefined);
    } catch {
      // the keeper has gone (its channel is closed): nothing to tell
    }
  }

  /** Everything measured so far (taken when the command ended, or when it was asked to stop). */
  measure(): CommandMeasure {
    this.sample();
    return {
      wallSeconds: this.elapsedSeconds(),
      cpuSeconds: this.cpuSeconds(),
      coresBefore: this.coresAtStart,
      coresAfter: this.deps.probe.coreTimes(),
      processes: this.tree.processes(),
      peakProcesses: this.tree.peakProcesses,
      peakThreads: this.tree.peakThreads,
    };
  }

  stop(): Promise<StopReason> {
    this.stopping ??= this.stopInStages();
    return this.stopping;
  }

  killNow(): void {
    clearTimeout(this.redrawTimer);
    if (this.rootPid > 0) {
      if (this.groupIsOurs()) signalQuietly(-this.rootPid, 'SIGKILL');
      for (const pid of this.tree.live().keys()) this.signalFollowed(pid, 'SIGKILL');
    }
    // The keeper sweeps the command's session once more on its way out.
    this.keeper?.kill('SIGTERM');
  }

  private begin(pid: number): void {
    this.tree.rootPid = pid;
    this.readyAt = performance.now();
    this.lastSampleAt = this.readyAt;
    this.coresAtStart = this.deps.probe.coreTimes();
    this.sample();
  }

  private end(message: Extract<FromKeeper, { type: 'exited' }>, keeperGone = false): void {
    if (this.exit && !keeperGone) return;
    if (!this.exit) {
      this.exit = { code: message.code, signal: message.signal };
      this.endedAt = performance.now();
      this.rootFinalCpu = message.cpuSeconds;
      this.exactWallSeconds = message.wallSeconds;
      this.rememberShortLivedRoot();
    }
    // What it printed last may still be in the pipe (or held back by the intake limit): read it
    // first, so `lab exec` prints it before the result and the pane ends with it.
    void (this.pump?.drain() ?? Promise.resolve()).then(() => {
      this.ended.resolve();
      this.deps.onChange();
    });
  }

  /** A command that ended before the first look at /proc is still listed, with what the keeper knows. */
  private rememberShortLivedRoot(): void {
    this.tree.rememberUnseenRoot({
      ppid: this.keeper?.pid ?? 0,
      name: basename(this.request.argv[0] ?? '').slice(0, 15),
      cpuSeconds: this.rootFinalCpu,
      lastSeen: this.elapsedSeconds(),
    });
  }

  private print(stream: OutputLine['stream'], text: string): void {
    this.output.append(stream, text);
    this.deps.onOutput?.(stream, text);
    this.redrawTimer ??= setTimeout(() => {
      this.redrawTimer = undefined;
      this.deps.onChange();
    }, OUTPUT_REDRAW_MS);
  }

  private async stopInStages(): Promise<StopReason> {
    this.sample();
    const endedByItself = this.exit !== null;
    if (endedByItself) this.leftovers = this.tree.live().size;
    const stages = stopStages(this.deps.stageMs, 'SIGINT');
    // Ctrl-C is for the command itself; what it left in the background ignores SIGINT (sh does
    // that to its & jobs), so leftovers start at SIGTERM.
    if (endedByItself) stages.shift();
    const done = (): boolean => this.exit !== null && this.tree.live().size === 0;
    const reason = await climbStopLadder(stages, {
      done,
      send: (stage) => this.signalAll(stage.signal ?? 'SIGINT'),
      waitForEnd: async (ms) => {
        const deadline = performance.now() + ms;
        while (!done() && performance.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
          this.sample();
        }
      },
    });
    if (!done()) this.killNow();
    // The keeper's watch is over; on its way out it sweeps the session once more. The run is over
    // when the keeper has gone too, so that nothing of it is left when the result is given.
    this.keeper?.kill('SIGTERM');
    if (this.keeper)
      await Promise.race([this.keeper, new Promise((resolve) => setTimeout(resolve, KEEPER_EXIT_MS).unref())]);
    // A process that escaped the session may still hold the pipes: it must keep nobody waiting.
    this.pump?.release();
    return endedByItself ? 'finished' : (reason ?? 'asked');
  }

  /** The process group, and any process of the tree that has left it (every one, if the group cannot be trusted). */
  private signalAll(name: NodeJS.Signals): void {
    if (this.rootPid <= 0) return;
    const group = this.groupIsOurs();
    if (group) signalQuietly(-this.rootPid, name);
    for (const link of this.tree.live().values())
      if (!group || link.pgid !== this.rootPid) this.signalFollowed(link.pid, name);
  }

  /**
   * Whether the process group -rootPid can only be the command's. Linux gives out a number again
   * only when no process uses it as PID, process group or session. The keeper is the command's
   * parent: until it reaps the command (and tells us, a few milliseconds later at most), the
   * command or its zombie holds the number. After that, a process we follow (same start time,
   * read just now) that is still in the command's session holds it, as sessions cannot be joined.
   * Otherwise the number may be free, and in a long run of PIDs it could come back as a stranger's
   * group: then only the followed PIDs are signalled, one by one. (The window between the reaping
   * and our hearing of it would need the kernel to hand out every other PID first; PIDs are given
   * out in turn.)
   */
  private groupIsOurs(): boolean {
    if (this.exit === null) return true;
    // One look at every process (on macOS each look is a `ps`), then each followed one checked in it.
    const now = new Map(this.deps.scanner.read().map((link) => [link.pid, link]));
    for (const link of this.tree.live().values()) {
      const current = now.get(link.pid);
      if (current && current.startToken === link.startToken && current.sid === this.rootPid) return true;
    }
    return false;
  }

  /** A process of the tree by PID, unless the PID now belongs to someone else (it was reused). */
  private signalFollowed(pid: number, name: NodeJS.Signals): void {
    const link = this.tree.live().get(pid);
    if (link && this.deps.scanner.isSame(pid, link.startToken)) signalQuietly(pid, name);
  }
}
