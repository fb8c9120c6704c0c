import type { DashboardState, PromptPurpose, ReplayState } from '../model/dashboard-state.js';
import type { Theme } from './theme.js';
import { cell, displayWidth, escapeTags, fitToWidth } from './text-fit.js';

const HINTS: [string, string][] = [
  ['F1', 'Help'],
  ['/', 'Filter'],
  ['F5', 'Tree'],
  ['F6', 'Sort'],
  ['H', 'Threads'],
  ['F9', 'Kill'],
  ['Space', 'Pause'],
  ['F10', 'Quit'],
];

/** This machine's view when other hosts are watched too: w is how to reach them. */
const WITH_HOSTS_HINTS: [string, string][] = [...HINTS.slice(0, -1), ['w', 'Hosts'], ...HINTS.slice(-1)];

/** In the hosts view: what works there. */
const HOSTS_HINTS: [string, string][] = [
  ['F1', 'Help'],
  ['↑↓', 'Move'],
  ['Enter', 'Details'],
  ['Esc', 'Back'],
  ['w', 'This machine'],
  ['F10', 'Quit'],
];

const PROMPTS: Record<PromptPurpose, { label: string; help: string }> = {
  filter: { label: 'Filter: ', help: '  Enter keep · Esc clear' },
  // Both start from the last line given, which Ctrl-U clears.
  calc: {
    label: 'Cores for a deadline (tasks, s/task, deadline, [price]): ',
    help: '  Enter compute · Ctrl-U clear · Esc close',
  },
  run: { label: 'Run: ', help: '  Enter start · Ctrl-U clear · Esc close · --shell for | > && *' },
};

/** Bottom line: a prompt being typed, else a recent message, else the main keys. */
export function footerLine(state: DashboardState, width: number, theme: Theme): string {
  if (state.mode.kind === 'prompt') {
    const { label: prompt, help } = PROMPTS[state.mode.purpose];
    const room = Math.max(1, width - prompt.length - help.length - 1);
    // Show the end of a long filter: that is where the user is typing.
    const draft = Array.from(state.mode.draft).slice(-room).join('');
    return (
      theme.paint(prompt, 'label') +
      escapeTags(draft) +
      theme.paint('█', 'label') +
      cell(help, width - prompt.length - displayWidth(draft) - 1)
    );
  }
  if (state.status && state.status.until > state.now) {
    return theme.paint(cell(state.status.text, width), state.status.tone === 'error' ? 'error' : 'info');
  }
  if (state.replay) return replayLine(state.replay, state.paused, width, theme);
  let used = 0;
  let line = '';
  const hints = state.hosts?.shown ? HOSTS_HINTS : state.hosts ? WITH_HOSTS_HINTS : HINTS;
  for (const [key, label] of hints) {
    const plain = `${key}${label} `;
    if (used + plain.length > width) break;
    line += `${theme.paint(key, 'key')}${label} `;
    used += plain.length;
  }
  const filter = state.filter ? ` filter: ${state.filter} ` : '';
  if (filter && used + filter.length <= width) {
    return (
      line +
      ' '.repeat(width - used - displayWidth(filter)) +
      theme.paint(escapeTags(fitToWidth(filter, displayWidth(filter))), 'paused')
    );
  }
  return line;
}

/** m:ss (h:mm:ss past an hour) of a span in ms. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const [hours, minutes, seconds] = [Math.floor(total / 3600), Math.floor(total / 60) % 60, total % 60];
  const pad = (value: number): string => String(value).padStart(2, '0');
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${minutes}:${pad(seconds)}`;
}

const REPLAY_KEYS = ' Space pause ←→ step +- speed q quit';

/** A replay's footer: where it is in the recording, a bar of it, the speed, and whether it plays. */
function replayLine(replay: ReplayState, paused: boolean, width: number, theme: Theme): string {
  const where = ` ${clock(replay.atMs)} / ${clock(replay.lengthMs)} `;
  const sample = `#${replay.position + 1}/${replay.samples}`;
  const mode = replay.ended ? 'end' : paused ? 'paused' : 'playing';
  const after = ` ×${replay.speed} ${mode} ${sample}`;
  const keys = width >= 80 ? REPLAY_KEYS : '';
  const barWidth = Math.max(4, Math.min(30, width - 'REPLAY'.length - where.length - after.length - keys.length - 2));
  const share = replay.lengthMs > 0 ? Math.min(1, replay.atMs / replay.lengthMs) : replay.ended ? 1 : 0;
  const done = Math.round(share * barWidth);
  const bar = `[${'='.repeat(done)}${'-'.repeat(barWidth - done)}]`;
  const plain = `REPLAY${where}${bar}${after}${keys}`;
  if (displayWidth(plain) > width) return cell(`REPLAY${where}${after}`, width);
  return theme.paint('REPLAY', 'paused') + where + bar + theme.paint(after, paused ? 'paused' : 'info') + keys;
}
