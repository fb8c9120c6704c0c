import type { Mode } from '../model/dashboard-state.js';
import type { KeyPress } from '../model/key-press.js';
import type { CursorMove } from '../model/selection.js';
import type { Action } from './actions.js';

const NORMAL: Record<string, Action> = {
  q: { type: 'quit' },
  f10: { type: 'quit' },
  'C-c': { type: 'quit' },
  up: { type: 'move', move: 'up' },
  'C-p': { type: 'move', move: 'up' },
  down: { type: 'move', move: 'down' },
  j: { type: 'move', move: 'down' },
  'C-n': { type: 'move', move: 'down' },
  pageup: { type: 'move', move: 'page-up' },
  pagedown: { type: 'move', move: 'page-down' },
  home: { type: 'move', move: 'home' },
  end: { type: 'move', move: 'end' },
  s: { type: 'sort-step', step: 1 },
  f6: { type: 'sort-step', step: 1 },
  '<': { type: 'sort-step', step: -1 },
  '>': { type: 'sort-step', step: 1 },
  ',': { type: 'sort-step', step: -1 },
  '.': { type: 'sort-step', step: 1 },
  'S-i': { type: 'sort-invert' },
  I: { type: 'sort-invert' },
  t: { type: 'toggle-tree' },
  f5: { type: 'toggle-tree' },
  '/': { type: 'prompt-open', purpose: 'filter' },
  f3: { type: 'prompt-open', purpose: 'filter' },
  '=': { type: 'prompt-open', purpose: 'calc' },
  tab: { type: 'lab-page' },
  v: { type: 'results-toggle' },
  r: { type: 'prompt-open', purpose: 'run' },
  o: { type: 'output-toggle' },
  escape: { type: 'back' },
  'S-h': { type: 'threads-toggle' },
  H: { type: 'threads-toggle' },
  enter: { type: 'threads-toggle' },
  k: { type: 'kill-open' },
  f9: { type: 'kill-open' },
  a: { type: 'affinity-open' },
  '?': { type: 'help-open' },
  f1: { type: 'help-open' },
  h: { type: 'help-open' },
  space: { type: 'pause-toggle' },
  '+': { type: 'interval-step', step: 1 },
  '-': { type: 'interval-step', step: -1 },
  x: { type: 'lab-stop' },
  '[': { type: 'lab-workers', change: -1 },
  ']': { type: 'lab-workers', change: 1 },
  c: { type: 'lab-workers', change: 'cores' },
  m: { type: 'lab-workers', change: 'many' },
  l: { type: 'lab-toggle' },
  w: { type: 'hosts-toggle' },
  g: { type: 'core-map-toggle' },
  e: { type: 'scheduling-columns-toggle' },
  T: { type: 'trace-export' },
  'S-t': { type: 'trace-export' },
  ...Object.fromEntries(
    Array.from({ length: 9 }, (_, index) => [
      String(index + 1),
      { type: 'lab-start', key: String(index + 1) } as Action,
    ]),
  ),
};

/** In a replay, over the normal keys: the playback's own. */
const REPLAY: Record<string, Action> = {
  left: { type: 'replay-step', step: -1 },
  right: { type: 'replay-step', step: 1 },
  '+': { type: 'replay-speed', step: 1 },
  ']': { type: 'replay-speed', step: 1 },
  '-': { type: 'replay-speed', step: -1 },
  '[': { type: 'replay-speed', step: -1 },
};

const KILL: Record<string, Action> = {
  up: { type: 'kill-choose', step: -1 },
  // In the dialog there is nothing to kill with k, so j and k both move, as in vi.
  k: { type: 'kill-choose', step: -1 },
  'C-p': { type: 'kill-choose', step: -1 },
  down: { type: 'kill-choose', step: 1 },
  j: { type: 'kill-choose', step: 1 },
  'C-n': { type: 'kill-choose', step: 1 },
  enter: { type: 'kill-send' },
  escape: { type: 'kill-cancel' },
  q: { type: 'kill-cancel' },
  f10: { type: 'kill-cancel' },
  'C-c': { type: 'quit' },
};

const AFFINITY: Record<string, Action> = {
  up: { type: 'affinity-move', step: -1 },
  k: { type: 'affinity-move', step: -1 },
  'C-p': { type: 'affinity-move', step: -1 },
  down: { type: 'affinity-move', step: 1 },
  j: { type: 'affinity-move', step: 1 },
  'C-n': { type: 'affinity-move', step: 1 },
  space: { type: 'affinity-toggle' },
  a: { type: 'affinity-all' },
  enter: { type: 'affinity-apply' },
  escape: { type: 'affinity-cancel' },
  q: { type: 'affinity-cancel' },
  f10: { type: 'affinity-cancel' },
  'C-c': { type: 'quit' },
};

const HELP_SCROLL: Record<string, CursorMove> = {
  up: 'up',
  k: 'up',
  down: 'down',
  j: 'down',
  pageup: 'page-up',
  pagedown: 'page-down',
  space: 'page-down',
  home: 'home',
  end: 'end',
};

/** The only keys that work while the terminal is too small to show anything: quitting. */
const TOO_SMALL: Record<string, Action> = {
  q: { type: 'quit' },
  f10: { type: 'quit' },
  'C-c': { type: 'quit' },
};

const PROMPT: Record<string, Action> = {
  enter: { type: 'prompt-accept' },
  escape: { type: 'prompt-cancel' },
  backspace: { type: 'prompt-backspace' },
  'C-u': { type: 'prompt-erase' },
  'C-c': { type: 'quit' },
  up: { type: 'move', move: 'up' },
  down: { type: 'move', move: 'down' },
  pageup: { type: 'move', move: 'page-up' },
  pagedown: { type: 'move', move: 'page-down' },
};

/** blessed names some printable keys ("space", "S-a"); a prompt wants the character itself. */
function printable(key: KeyPress): string | null {
  const ch = key.ch;
  if (!ch || ch.length === 0) return null;
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)) return null;
  return ch;
}

/** The action a key asks for in the current mode, or null when the key means nothing there. */
export function keyToAction(mode: Mode, key: KeyPress, replay = false): Action | null {
  switch (mode.kind) {
    case 'help': {
      if (key.full === 'C-c') return { type: 'quit' };
      const move = HELP_SCROLL[key.full];
      return move ? { type: 'help-scroll', move } : { type: 'help-close' };
    }
    case 'kill':
      return KILL[key.full] ?? null;
    case 'affinity':
      return AFFINITY[key.full] ?? (key.ch === ' ' ? (AFFINITY.space ?? null) : null);
    case 'prompt': {
      const bound = PROMPT[key.full];
      if (bound) return bound;
      const text = printable(key);
      return text ? { type: 'prompt-type', text } : null;
    }
    case 'normal':
      if (replay) {
        const control = REPLAY[key.full] ?? (key.ch && key.ch.length === 1 ? REPLAY[key.ch] : undefined);
        if (control) return control;
      }
      return NORMAL[key.full] ?? (key.ch && key.ch.length === 1 ? (NORMAL[key.ch] ?? null) : null);
  }
}

/**
 * While the terminal is too small nothing is drawn but a notice, so no key may act on what the user
 * cannot see (a hidden kill dialog, a prompt): only quitting works, whatever was open.
 */
export function keyWhenTooSmall(key: KeyPress): Action | null {
  return TOO_SMALL[key.full] ?? null;
}
