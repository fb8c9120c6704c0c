import { helpBox } from '../model/screen-layout.js';
import type { Theme } from './theme.js';
import { cell, escapeTags, fitToWidth, wrapText } from './text-fit.js';

/** Every key, as the help screen and the README list them. test/unit/app/keymap.test.ts keeps this honest. */
export const KEY_HELP: [keys: string, what: string][] = [
  [
    '↑ ↓  j  Ctrl-P Ctrl-N',
    'move the selection; the process you pick stays selected as the order changes (k ' +
      'is kill, as in htop; in the kill dialog and here j and k move)',
  ],
  [
    'PgUp PgDn  Home End',
    'move a page, or to the first / last row; Home goes back to the top row, which the cursor then keeps',
  ],
  ['mouse click, wheel', 'select a row, sort by a column title, scroll'],
  ['/  F3', 'filter by name or command line; a number also matches that PID (Enter keeps it, Esc clears it)'],
  ['Esc', 'leave the thread view, the output or the results, or clear the filter'],
  ['s  F6', 'sort by the next column'],
  ['<  >  ,  .', 'sort by the column to the left / right'],
  ['I', 'invert the sort order'],
  ['t  F5', 'tree view: children under their parent'],
  ['H  Enter', 'threads of the selected process: TID, name, state, CPU%'],
  ['k  F9', 'send a signal to the selected process (asks first)'],
  [
    'a',
    'pin the selected process (every thread; in the thread view, the thread) to cores: Space toggles a core, ' +
      'a all, Enter applies',
  ],
  ['Space', 'pause / resume sampling'],
  ['+  -', 'longer / shorter refresh interval'],
  ['?  h  F1', 'this help (arrows, PgUp PgDn scroll it)'],
  ['q  F10  Ctrl-C', 'quit (a running experiment is stopped first)'],
  [
    '1 … 9',
    'start an experiment of the lab page shown (1-5 on page 1, 1-9 on page 2, 1-8 on page 3, 1-5 on page 4, ' +
      '1-2 on page 5)',
  ],
  [
    'Tab',
    'next lab page: 1 the first experiments, 2 the gotchas and comparisons, 3 real Python, 4 the machine ' +
      '(caches, I/O, pinning), 5 the grid on Dask and MPI',
  ],
  ['x', 'stop the experiment: ask, then SIGTERM, then SIGKILL'],
  ['[  ]', 'one worker fewer / more (restarts a running experiment)'],
  ['c  m', 'as many workers as cores / 11, as in the lecture'],
  ['l', 'show / hide the lab panel'],
  ['e', 'CORE and WAIT% columns: the core a process last ran on, its time waiting for one (on while the lab runs)'],
  ['g', 'the core map: which thread ran on which core, slice by slice, and who waits for a core'],
  ['w', "other hosts (--hosts, --prometheus), busiest first; Enter shows a host's cores and processes"],
  ['v', "the last experiment's table and chart"],
  ['T', "the last run as a trace (Perfetto, chrome://tracing), written to paratop's data folder"],
  ['=', 'calculator: cores needed for N tasks of T seconds by a deadline'],
  ['r', 'run a command of your own; its processes and threads are followed (--shell for pipes)'],
  ['o', "the command's output (arrows and PgUp/PgDn scroll, End follows, Esc back)"],
];

/** The keys of a replay (paratop replay FILE), where they differ. test/unit/app/keymap.test.ts checks them too. */
export const REPLAY_KEY_HELP: [keys: string, what: string][] = [
  ['Space', 'replay: pause / play (at the end, play again from the start)'],
  ['←  →', 'replay: a sample back / forward (pauses)'],
  ['+  -  ]  [', 'replay: faster / slower (¼× to 32×)'],
];

const NOTES = [
  'CPU% is per core: 100% = one core busy (as htop). CTXSW = context switches per second.',
  'Core bars: green user, red system, cyan steal. Memory: green used, blue buffers, yellow cache.',
];

/** The lecture's last word, with its source. */
export const KNUTH =
  '"We should forget about small efficiencies, say about 97% of the time: ' +
  'premature optimization is the root of all evil. ' +
  'Yet we should not pass up our opportunities in that critical 3%." Donald E. ' +
  'Knuth, "Structured Programming with go to Statements", ' +
  'ACM Computing Surveys 6(4), 1974.';

/** One line of help: under a key column (key, or '' for a wrapped continuation), or across the box (null). */
interface HelpLine {
  key: string | null;
  text: string;
  role?: 'title' | 'dim';
}

const KEY_WIDTH = Math.max(...KEY_HELP.map(([keys]) => keys.length)) + 2;

/** The whole help text at a width, each key's description wrapped under its own column. */
function helpText(width: number, settingsLabel: string): HelpLine[] {
  const across = (text: string, role?: HelpLine['role']): HelpLine[] =>
    (text ? wrapText(text, width) : ['']).map((part) => ({ key: null, text: part, ...(role ? { role } : {}) }));
  return [
    ...across('paratop keys', 'title'),
    ...across(''),
    ...KEY_HELP.flatMap(([keys, what]) =>
      wrapText(what, Math.max(10, width - KEY_WIDTH)).map((part, index) => ({
        key: index === 0 ? keys : '',
        text: part,
      })),
    ),
    ...across(''),
    ...across('In a replay (paratop replay FILE); k, a, r and the lab are refused there', 'title'),
    ...REPLAY_KEY_HELP.flatMap(([keys, what]) =>
      wrapText(what, Math.max(10, width - KEY_WIDTH)).map((part, index) => ({
        key: index === 0 ? keys : '',
        text: part,
      })),
    ),
    ...across(''),
    ...NOTES.flatMap((note) => across(note)),
    ...(settingsLabel ? across(`Settings: ${settingsLabel}`) : []),
    ...across(''),
    ...across(KNUTH, 'dim'),
  ];
}

/** The furthest the help can scroll in a terminal of this size: what the reducer clamps to. */
export function helpScrollLimit(cols: number, rows: number, settingsLabel = ''): number {
  const box = helpBox(cols, rows);
  return Math.max(0, helpText(box.textWidth, settingsLabel).length - (box.textHeight - 1));
}

/** The help screen from line `scroll`, and a last line that says how to scroll or close it. */
export function helpLines(width: number, height: number, scroll: number, theme: Theme, settingsLabel = ''): string[] {
  const all = helpText(width, settingsLabel);
  const room = Math.max(1, height - 1);
  const top = Math.max(0, Math.min(scroll, all.length - room));
  const shown = all.slice(top, top + room).map((line) => {
    if (line.key !== null) return theme.paint(cell(line.key, KEY_WIDTH), 'label') + escapeTags(line.text);
    return line.role ? theme.paint(escapeTags(line.text), line.role) : escapeTags(line.text);
  });
  const below = all.length - top - room;
  const footer =
    below > 0
      ? `↓ ${below} more line${below === 1 ? '' : 's'}: ↓ PgDn End scroll · any other key closes`
      : top > 0
        ? '↑ PgUp Home scroll back · any other key closes'
        : 'Any key closes this help.';
  return [...shown, theme.paint(escapeTags(fitToWidth(footer, width)), 'dim')];
}
