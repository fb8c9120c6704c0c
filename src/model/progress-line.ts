import { toPrintable } from './untrusted-text.js';

/** What a long headless job shows on stderr while it runs: what, the step under way, time so far and left. */
export interface ProgressFigures {
  what: string;
  step: string | null;
  elapsedSeconds: number;
  /** null where nothing says how long the rest takes */
  leftSeconds: number | null;
}

/** 7 s, 1 min 05 s: whole seconds, as a line that changes four times a second should read. */
export function wholeSeconds(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) return `${total} s`;
  return `${Math.floor(total / 60)} min ${String(total % 60).padStart(2, '0')} s`;
}

/** One line, at most `width` characters: "sweep · 2 of 4 workers · 6 s · about 12 s left". */
export function progressLine(figures: ProgressFigures, width: number): string {
  const parts = [figures.what, figures.step, wholeSeconds(figures.elapsedSeconds)];
  if (figures.leftSeconds !== null) parts.push(`about ${wholeSeconds(figures.leftSeconds)} left`);
  // A command line is the user's text, shown on their terminal: no escape sequence gets through.
  const line = toPrintable(parts.filter((part): part is string => Boolean(part)).join(' · '));
  const room = Math.max(1, width);
  return [...line].length <= room ? line : `${[...line].slice(0, room - 1).join('')}…`;
}

/**
 * How long the rest of a run takes, where something says: a run of planned length, or a step
 * "K of N …" (steps of about equal length, as a sweep's are). Null otherwise: no guess shown.
 */
export function secondsLeft(elapsedSeconds: number, step: string | null, plannedSeconds: number | null): number | null {
  if (plannedSeconds !== null) return Math.max(0, plannedSeconds - elapsedSeconds);
  const of = step ? /^(\d+) of (\d+)\b/.exec(step) : null;
  if (!of) return null;
  const [done, count] = [Number(of[1]) - 1, Number(of[2])];
  if (done < 1 || count < 1 || done >= count) return null;
  return (elapsedSeconds / done) * (count - done);
}
