import { leanUntilBusy } from '../app/v8-lean-mode.js';

/**
 * Entry point: bin/paratop imports this module and nothing else. V8 goes lean before anything else
 * loads: start-up is when it would first grow its young generation and page in its optimizer.
 */
leanUntilBusy();
const { runProgram } = await import('./program.js');
const { EXIT_FAILURE } = await import('./usage-error.js');

runProgram(process.argv.slice(2), {
  runDashboard: async (sampler, settings) => {
    const { startDashboard } = await import('../app/start-dashboard.js');
    await startDashboard(sampler, settings);
  },
  runReplay: async (recording, file) => {
    const { startReplay } = await import('../app/start-replay.js');
    await startReplay(recording, file);
  },
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`paratop: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT_FAILURE;
  },
);
