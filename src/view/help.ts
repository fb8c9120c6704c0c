import type { Theme } from './theme.js';
import { cell, escapeTags, wrapText } from './text-fit.js';

/** Every key, as the help screen and the README list them. test/app/keymap.test.ts keeps this honest. */
export const KEY_HELP: [keys: string, what: string][] = [
  ['↑ ↓  j  Ctrl-P Ctrl-N', 'move the selection (k is kill, as in htop)'],
  ['PgUp PgDn  Home End', 'move a page, or to the first / last row'],
  ['mouse click, wheel', 'select a row, sort by a column title, scroll'],
  ['/  F3', 'filter by name or command line (Enter keeps it, Esc clears it)'],
  ['Esc', 'leave the thread view, or clear the filter'],
  ['s  F6', 'sort by the next column'],
  ['<  >', 'sort by the column to the left / right'],
  ['I', 'invert the sort order'],
  ['t  F5', 'tree view: children under their parent'],
  ['H  Enter', 'threads of the selected process: TID, name, state, CPU%'],
  ['k  F9', 'send a signal to the selected process (asks first)'],
  ['Space', 'pause / resume sampling'],
  ['+  -', 'longer / shorter refresh interval'],
  ['?  F1', 'this help'],
  ['q  F10  Ctrl-C', 'quit (a running experiment is stopped first)'],
  ['1 2 3 4 5', 'start a lab experiment (listed in the lab panel)'],
  ['x', 'stop the experiment: ask, then SIGTERM, then SIGKILL'],
  ['[  ]', 'one worker fewer / more (restarts a running experiment)'],
  ['c  m', 'as many workers as cores / 11, as in the lecture'],
  ['l', 'show / hide the lab panel'],
  ['Tab', 'the other page of experiments (the gotchas, comparisons, final remarks)'],
  ['v', "the last experiment's table and chart"],
  ['=', 'calculator: cores needed for N tasks of T seconds by a deadline'],
  ['r', 'run a command of your own; its processes and threads are followed (--shell for pipes)'],
  ['o', "the command's output (arrows and PgUp/PgDn scroll, End follows, Esc back)"],
];

const NOTES = [
  'CPU% is per core: 100% = one core busy (as htop). CTXSW = context switches per second.',
  'Core bars: green user, red system, cyan steal. Memory: green used, blue buffers, yellow cache.',
];

/** The lecture's last word, with its source. */
export const KNUTH =
  '"We should forget about small efficiencies, say about 97% of the time: premature optimization is the root of all evil. ' +
  'Yet we should not pass up our opportunities in that critical 3%." Donald E. Knuth, "Structured Programming with go to Statements", ' +
  'ACM Computing Surveys 6(4), 1974.';

/** The help screen: every key always; the notes and spacing only when the terminal has room. */
export function helpLines(width: number, height: number, theme: Theme): string[] {
  const keyWidth = Math.max(...KEY_HELP.map(([keys]) => keys.length)) + 2;
  const keys = KEY_HELP.map(([key, what]) => theme.paint(cell(key, keyWidth), 'label') + cell(what, Math.max(0, width - keyWidth)));
  const title = theme.paint('paratop keys', 'title');
  const close = theme.paint('Any key closes this help.', 'dim');
  const quote = wrapText(KNUTH, width).map((line) => theme.paint(escapeTags(line), 'dim'));
  const full = [title, '', ...keys, '', ...NOTES.map((note) => escapeTags(note)), '', ...quote, '', close];
  if (full.length <= height) return full;
  const shorter = [title, ...keys, '', ...quote, close];
  return shorter.length <= height ? shorter : [title, ...keys, close].slice(0, Math.max(1, height));
}
