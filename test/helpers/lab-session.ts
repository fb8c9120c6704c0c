import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { LabEngine, type StartOptions } from '../../src/lab/lab-engine.js';
import type { RunResult } from '../../src/model/lab-types.js';
import { childrenOf } from './proc-measure.js';

/** "PID command line", for a message about a process still alive. */
function describeProcess(pid: number): string {
  try {
    return `${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim()}`;
  } catch {
    return `${pid} (gone)`;
  }
}

export interface LabSession {
  engine: LabEngine;
  /** The lab's own child processes, alive now (the test process's earlier ones, tsx's esbuild service, left out). */
  labChildren(): number[];
  /** Run an experiment to its end; checks it left a result and no process behind. */
  run(id: string, options: StartOptions): Promise<RunResult>;
}

/**
 * A lab engine for the tests of one describe block, with a data folder of its own (compare history,
 * latency ladder) set up before and removed after, and every workload killed at the end.
 */
export function labSession(): LabSession {
  const engine = new LabEngine({ cores: cpus().length });
  let dataHome = '';
  let ownChildren: number[] = [];
  const previousDataHome = process.env.XDG_DATA_HOME;
  // tsx's esbuild service is the test process's own child, and tsx may start it late (a module
  // imported for the first time mid-test): it is not the lab's.
  const labChildren = (): number[] =>
    childrenOf(process.pid).filter((pid) => !ownChildren.includes(pid) && !/\/esbuild\b/.test(describeProcess(pid)));
  before(() => {
    dataHome = mkdtempSync(join(tmpdir(), 'paratop-data-'));
    process.env.XDG_DATA_HOME = dataHome;
    ownChildren = childrenOf(process.pid);
  });
  after(() => {
    engine.killNow();
    if (previousDataHome === undefined) delete process.env.XDG_DATA_HOME;
    else process.env.XDG_DATA_HOME = previousDataHome;
    rmSync(dataHome, { recursive: true, force: true });
  });
  return {
    engine,
    labChildren,
    async run(id, options) {
      await engine.start(id, options);
      const result = await engine.whenDone();
      assert.ok(result, `${id} left a result`);
      const left = labChildren();
      assert.deepEqual(left, [], `${id} left processes behind: ${left.map(describeProcess).join(' | ')}`);
      return result;
    },
  };
}
