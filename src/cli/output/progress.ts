import type { Ora } from 'ora';
import { type ProgressFigures, progressLine } from '../../model/progress-line.js';

/** A one-line progress display on stderr, or nothing at all. */
export interface Progress {
  show(figures: ProgressFigures): void;
  /** Clears the line for good; later calls to show do nothing. */
  stop(): void;
}

const NO_PROGRESS: Progress = { show: () => undefined, stop: () => undefined };

/** Only a person at a terminal reads it: piped or redirected stderr, and TERM=dumb, get nothing. */
export function progressWanted(stream: NodeJS.WriteStream = process.stderr, env = process.env): boolean {
  return stream.isTTY === true && env.TERM !== 'dumb' && env.PARATOP_PROGRESS !== '0';
}

/**
 * ora draws the line and its spinner (loaded only when wanted). Its stdin discarding is off, so a
 * command run by `lab exec` keeps its input, and the cursor is never hidden, so a kill -9 cannot
 * leave the terminal without one.
 */
export async function startProgress(stream: NodeJS.WriteStream = process.stderr): Promise<Progress> {
  if (!progressWanted(stream)) return NO_PROGRESS;
  const { default: ora } = await import('ora');
  let spinner: Ora | null = ora({ stream, discardStdin: false, hideCursor: false, isEnabled: true }).start();
  return {
    show: (figures) => {
      if (spinner) spinner.text = progressLine(figures, Math.max(20, (stream.columns ?? 80) - 3));
    },
    stop: () => {
      spinner?.stop();
      spinner = null;
    },
  };
}
