/** Exit codes: 0 done, 1 something failed at run time, 2 the command line was wrong. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A mistake in how paratop was called. Its message names the bad value and what is accepted. */
export class UsageError extends Error {
  readonly code = 'PARATOP_USAGE';
  readonly exitCode = EXIT_USAGE;
}
