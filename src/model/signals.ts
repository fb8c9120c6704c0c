/** The signals the kill dialog offers, in the order shown; TERM first and preselected. */
export const KILL_SIGNALS = [
  { name: 'SIGTERM', meaning: 'ask it to exit (it may clean up)' },
  { name: 'SIGKILL', meaning: 'end it at once (no clean-up)' },
  { name: 'SIGINT', meaning: 'interrupt, as Ctrl-C does' },
  { name: 'SIGHUP', meaning: 'its terminal hung up' },
  { name: 'SIGSTOP', meaning: 'pause it' },
  { name: 'SIGCONT', meaning: 'resume a paused process' },
] as const;

export type KillSignal = (typeof KILL_SIGNALS)[number]['name'];
