import type { Ora } from 'ora';
import { type ProgressFigures, progressLine } from '../../model/progress-line.js';

/** A one-line progress display on stderr, or nothing at all. */
export interface Progress {
  /** Clears the line for good. */
  stop(): void;
}

const NO_PROGRESS: Progress = { stop: () => undefined };

/** How often the line is redrawn from the figures. */
const REDRAW_MS = 250;

/** Only a person at a terminal reads it: piped or redirected stderr, and TERM=dumb, get nothing. */
export function progressWanted(stream: NodeJS.WriteStream = process.stderr, env = process.env): boolean {
  return stream.isTTY === true && env.TERM !== 'dumb' && env.PARATOP_PROGRESS !== '0';
}

/**
 * Shows `figures` (null: nothing to say yet) four times a second until stopped. ora draws the line
 * and its spinner (loaded only when wanted). Its stdin discarding is off, so a command run by
 * `lab exec` keeps its input, and the cursor is never hidden, so a kill -9 cannot leave the
 * terminal without one.
 */
export async function startProgress(
  figures: () => ProgressFigures | null,
  stream: NodeJS.WriteStream = process.stderr,
): Promise<Progress> {
  if (!progressWanted(stream)) return NO_PROGRESS;
  const { default: ora } = await import('ora');
  let spinner: Ora | null = ora({ stream, discardStdin: false, hideCursor: false, isEnabled: true }).start();
  const redraw = setInterval(() => {
    const now = figures();
    if (spinner && now) spinner.text = progressLine(now, Math.max(20, (stream.columns ?? 80) - 3));
  }, REDRAW_MS);
  return {
    stop: () => {
      clearInterval(redraw);
      spinner?.stop();
      spinner = null;
    },
  };
}
