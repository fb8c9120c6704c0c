/**
 * One way out, whatever the reason: q, a signal, or a crash. Clean-up runs once, restores the
 * terminal, and only then does the process exit.
 */
export type CleanUp = () => void;

const SIGNAL_EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = {
  SIGINT: 130,
  SIGTERM: 143,
  SIGHUP: 129,
  SIGQUIT: 131,
};

export interface Shutdown {
  /** Run the clean-up steps (newest first) and exit with `code`. */
  exit(code: number): never;
  /** Add a clean-up step. */
  onCleanUp(step: CleanUp): void;
}

export function installShutdown(writeError: (text: string) => void = (text) => process.stderr.write(text)): Shutdown {
  const steps: CleanUp[] = [];
  let done = false;
  const cleanUp = (): void => {
    if (done) return;
    done = true;
    // The terminal may already be gone (SIGHUP); writes to it must not turn into a second crash.
    process.stdout.on('error', () => undefined);
    for (const step of steps.reverse()) {
      try {
        step();
      } catch {
        // keep going: the remaining steps matter more than this one's failure
      }
    }
  };
  const exit = (code: number): never => {
    cleanUp();
    process.exit(code);
  };
  for (const [signal, code] of Object.entries(SIGNAL_EXIT_CODES) as [NodeJS.Signals, number][]) {
    process.on(signal, () => exit(code));
  }
  const crash = (error: unknown): void => {
    cleanUp();
    writeError(`paratop crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  process.on('exit', cleanUp);
  return { exit, onCleanUp: (step) => steps.push(step) };
}
