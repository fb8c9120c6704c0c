import { holdOptimizerUntilBusy } from '../app/optimizer-on-demand.js';

/**
 * Entry point: bin/paratop imports this module and nothing else. The optimizer is held before
 * anything else loads (start-up is when V8 would first compile, and page in, its optimizer).
 */
holdOptimizerUntilBusy();
const { runProgram } = await import('./program.js');
const { EXIT_FAILURE } = await import('./usage-error.js');

runProgram(process.argv.slice(2), {
  runDashboard: async (sampler, settings) => {
    const { startDashboard } = await import('../app/start-dashboard.js');
    await startDashboard(sampler, settings);
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
