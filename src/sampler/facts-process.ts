import { readMachineFacts } from './machine-facts.js';

/**
 * Run as its own short-lived process by the dashboard: systeminformation is large, and loading it
 * into the long-running dashboard would cost its memory for as long as paratop runs.
 */
readMachineFacts().then(
  (facts) => process.stdout.write(JSON.stringify(facts)),
  (error: unknown) => {
    process.stderr.write(String(error));
    process.exitCode = 1;
  },
);
