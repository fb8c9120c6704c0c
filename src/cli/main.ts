import { runProgram } from './program.js';
import { EXIT_FAILURE } from './usage-error.js';

/** Entry point: bin/paratop imports this module and nothing else. */
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
