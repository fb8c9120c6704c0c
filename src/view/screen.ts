import type { Widgets } from 'blessed';
import type { KeyPress } from '../model/key-press.js';
import { screen as blessedScreen } from './blessed-parts.js';

export interface ScreenHandlers {
  onKey(key: KeyPress): void;
  onMouseDown(x: number, y: number): void;
  onWheel(direction: 'up' | 'down'): void;
  onResize(cols: number, rows: number): void;
}

/**
 * The terminal. blessed misreads Debian's 32-bit terminfo for *-256color terminals, so it is told
 * xterm-256color unless PARATOP_TERM names something else.
 */
export function createScreen(handlers: ScreenHandlers): Widgets.Screen {
  const screen = blessedScreen({
    smartCSR: true,
    fullUnicode: true,
    autoPadding: false,
    warnings: false,
    dockBorders: true,
    terminal: process.env.PARATOP_TERM || 'xterm-256color',
    // Meters and tree lines are drawn with Unicode; do not let a bare locale (LANG unset) turn them into ACS.
    forceUnicode: true,
  });
  // Draw box and tree lines as UTF-8, not as ACS letters: tmux and screen without a UTF-8 locale
  // otherwise show "qqq" and "x" where lines belong.
  (screen.tput as unknown as { brokenACS: boolean }).brokenACS = true;
  screen.on('keypress', (ch: string | undefined, key: { full?: string; name?: string } | undefined) => {
    // blessed reports Enter twice, as "enter" and as "return"; "linefeed" is Ctrl-J.
    if (key?.name === 'return' || key?.name === 'linefeed') return;
    const full = key?.full ?? ch;
    if (full) handlers.onKey({ full, ch });
  });
  screen.on('mouse', (data: { action: string; x: number; y: number }) => {
    if (data.action === 'mousedown') handlers.onMouseDown(data.x, data.y);
    else if (data.action === 'wheelup') handlers.onWheel('up');
    else if (data.action === 'wheeldown') handlers.onWheel('down');
  });
  screen.on('resize', () => handlers.onResize(Number(screen.width), Number(screen.height)));
  return screen;
}
