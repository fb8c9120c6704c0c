import { constants } from 'node:os';
import type { CommandRequest } from '../../lab/command-line.js';
import { LabEngine } from '../../lab/lab-engine.js';
import type { RunResult } from '../../model/lab-types.js';
import { tableText } from '../../model/result-table.js';
import { startProgress } from '../output/progress.js';
import { writeOut } from '../output/write-out.js';

export interface ExecFlags {
  json?: boolean;
}

/** The shell's convention: a command's own exit code, or 128 + the number of the signal that ended it. */
export function exitCodeOf(exit: RunResult['exit']): number {
  if (!exit) return 1;
  if (exit.signal) return 128 + (constants.signals[exit.signal as NodeJS.Signals] ?? 0);
  return exit.code ?? 1;
}

function resultText(result: RunResult): string {
  const lines = [`${result.title}: ${result.summary}`];
  for (const line of result.lines ?? []) lines.push(`  ${line}`);
  const cpu = result.cpuSeconds === null ? '' : ` · CPU ${result.cpuSeconds.toFixed(2)} s`;
  lines.push(`  wall ${result.wallSeconds.toFixed(2)} s${cpu} · cores used ${result.coresUsed?.toFixed(2) ?? '?'}`);
  if (result.perCore)
    lines.push(`  per core: ${result.perCore.map((core) => `${core.id} ${core.busy.toFixed(0)}%`).join(' · ')}`);
  for (const line of result.table ? tableText(result.table) : []) lines.push(`  ${line}`);
  return `${lines.join('\n')}\n`;
}

/**
 * `paratop lab exec -- <command>`: run the command, follow its process tree, and print what it
 * measured when it ends. Its output is passed on as it comes: with --json all of it to stderr, so
 * stdout carries the JSON alone. Ctrl-C (or SIGTERM, SIGHUP) stops it in stages. Resolves to the
 * command's exit code.
 */
export async function runLabExec(request: CommandRequest, flags: ExecFlags, cores: number): Promise<number> {
  const engine = new LabEngine({ cores });
  const interrupted = new AbortController();
  const interrupt = (): void => interrupted.abort();
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, interrupt);
  // Until the command says something: after that the line would come between its lines.
  const progress = await startProgress(() => {
    const run = engine.snapshot();
    const count = run?.pids.length ?? 0;
    const processes = count > 0 ? `${count} process${count === 1 ? '' : 'es'}` : 'starting';
    return run && { what: request.display, step: processes, elapsedSeconds: run.elapsedSeconds, leftSeconds: null };
  });
  const quiet = (): void => progress.stop();
  try {
    await engine.startCommand(request, {
      onOutput: (stream, text) => {
        quiet();
        (stream === 'out' && !flags.json ? process.stdout : process.stderr).write(text);
      },
    });
    // A Ctrl-C while the command was starting counts too.
    const stopped = interrupted.signal.aborted
      ? Promise.resolve()
      : new Promise((resolve) => interrupted.signal.addEventListener('abort', resolve, { once: true }));
    await Promise.race([engine.whenDone(), stopped]);
    const result = (await engine.stop()) ?? engine.lastResult;
    if (!result) throw new Error('the command left no result');
    await writeOut(
      flags.json
        ? `${JSON.stringify({ ...result, exitCode: exitCodeOf(result.exit) }, null, 2)}\n`
        : resultText(result),
    );
    return exitCodeOf(result.exit);
  } finally {
    quiet();
    engine.killNow();
    for (const signal of signals) process.off(signal, interrupt);
  }
}
