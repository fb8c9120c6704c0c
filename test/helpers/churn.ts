import { type ChildProcess, spawn } from 'node:child_process';

/**
 * A bounded spawner: for `seconds`, it starts short-lived processes (`true`) and short-lived threads
 * as fast as it can, up to `processes` and `threads` in all, then exits. Every process and thread
 * it makes is gone within milliseconds: what a sampler sees must tolerate that.
 */
export function startChurn(seconds: number, processes: number, threads: number): ChildProcess {
  const script = `
    const { spawn } = require('node:child_process');
    const { Worker } = require('node:worker_threads');
    const until = Date.now() + ${seconds * 1000};
    let processes = 0, threads = 0;
    const more = () => Date.now() < until;
    (function fork() {
      if (!more() || processes >= ${processes}) return;
      processes += 1;
      spawn('true', [], { stdio: 'ignore' }).on('exit', fork);
    })();
    (function thread() {
      if (!more() || threads >= ${threads}) return;
      threads += 1;
      new Worker('0', { eval: true }).on('exit', () => setTimeout(thread, 5));
    })();
    setTimeout(() => process.exit(0), ${seconds * 1000 + 500});
  `;
  return spawn(process.execPath, ['-e', script, 'paratop-test-churn'], { stdio: 'ignore' });
}
