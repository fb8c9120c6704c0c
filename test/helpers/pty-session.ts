import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import xterm from '@xterm/headless';
import pty from 'node-pty';
import { childrenOf } from './proc-measure.js';

export const BIN = fileURLToPath(new URL('../../bin/paratop', import.meta.url));

export interface SessionOptions {
  args?: string[];
  cols?: number;
  rows?: number;
  env?: NodeJS.ProcessEnv;
  /**
   * Run paratop from a shell that prints the terminal's settings (stty -a) once paratop has gone,
   * so a test can see whether echo and line editing were given back.
   */
  thenStty?: boolean;
  /** Words put before node (e.g. setpriv ... to run paratop as another user). */
  wrap?: string[];
}

let sessions = 0;

/**
 * A settings folder of its own for each session, not created: paratop starts on defaults, and a
 * session that saves its settings never changes the user's file or another test's.
 */
function freshConfigHome(): string {
  sessions += 1;
  const folder = join(tmpdir(), `paratop-test-config-${process.pid}-${sessions}`);
  process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

export interface ExitStatus {
  exitCode: number;
  signal?: number | undefined;
}

/**
 * The real bin/paratop in a pseudo-terminal, its output fed to a headless xterm: tests read the
 * screen a user would see and send the keys a user would press.
 */
export class PtySession {
  readonly terminal: xterm.Terminal;
  readonly exited: Promise<ExitStatus>;
  readonly titles: string[] = [];
  /** Everything paratop wrote, escape sequences and all. */
  output = '';
  private readonly process: pty.IPty;
  private readonly viaShell: boolean;
  private exitStatus: ExitStatus | undefined;

  constructor(options: SessionOptions = {}) {
    const cols = options.cols ?? 100;
    const rows = options.rows ?? 30;
    this.terminal = new xterm.Terminal({ cols, rows, allowProposedApi: true });
    this.terminal.onTitleChange((title) => this.titles.push(title));
    this.viaShell = options.thenStty ?? false;
    const quoted = [process.execPath, BIN, ...(options.args ?? [])]
      .map((word) => `'${word.replaceAll("'", "'\\''")}'`)
      .join(' ');
    const direct = [...(options.wrap ?? []), process.execPath, BIN, ...(options.args ?? [])];
    const [command = process.execPath, ...rest] = direct;
    const [file, args] = this.viaShell
      ? ['/bin/sh', ['-c', `${quoted}; echo "EXIT=$?"; stty -a; sleep 30`]]
      : [command, rest];
    this.process = pty.spawn(file, args, {
      // node-pty sets TERM from this name.
      name: options.env?.TERM ?? 'xterm-256color',
      cols,
      rows,
      cwd: process.cwd(),
      env: {
        ...process.env,
        TERM: 'xterm-256color',
        LANG: 'C.UTF-8',
        XDG_CONFIG_HOME: freshConfigHome(),
        ...options.env,
      } as Record<string, string>,
    });
    this.process.onData((data) => {
      this.output += data;
      this.terminal.write(data);
    });
    this.exited = new Promise((resolve) => {
      this.process.onExit((status) => {
        this.exitStatus = status;
        resolve(status);
      });
    });
  }

  /** paratop's PID (under the shell, the shell's child). */
  get pid(): number {
    // Under a shell paratop is the shell's child; setpriv execs node, so the PID stays the same.
    if (!this.viaShell) return this.process.pid;
    return childrenOf(this.process.pid)[0] ?? this.process.pid;
  }

  /** The process the pseudo-terminal runs: paratop, or with thenStty the shell around it. */
  get ptyPid(): number {
    return this.process.pid;
  }

  /** With thenStty: wait for the shell's report after paratop has gone. */
  async afterExit(timeoutMs = 10_000): Promise<{ exitCode: number; stty: string }> {
    const screen = await this.waitUntil(
      (text) => /EXIT=\d+/.test(text) && /\becho\b|-echo\b/.test(text),
      'the shell to report',
      timeoutMs,
    );
    const exitCode = Number(/EXIT=(\d+)/.exec(screen)?.[1]);
    return { exitCode, stty: screen.slice(screen.indexOf('EXIT=')) };
  }

  /** Whether the cursor was left visible: the last DECTCEM sequence written shows it. */
  cursorShown(): boolean {
    const hide = this.output.lastIndexOf('\x1b[?25l');
    const show = this.output.lastIndexOf('\x1b[?25h');
    return show >= hide;
  }

  /** The visible screen, one string per row, trailing blanks trimmed. */
  lines(): string[] {
    const buffer = this.terminal.buffer.active;
    const lines: string[] = [];
    for (let row = 0; row < this.terminal.rows; row += 1) {
      lines.push((buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '').trimEnd());
    }
    return lines;
  }

  /** The palette colour a cell is drawn in (grey is 8), or -1 for the default colour or an RGB one. */
  paletteColour(x: number, y: number): number {
    const buffer = this.terminal.buffer.active;
    const cell = buffer.getLine(buffer.viewportY + y)?.getCell(x);
    return cell?.isFgPalette() ? cell.getFgColor() : -1;
  }

  screen(): string {
    return this.lines().join('\n');
  }

  isAlternateScreen(): boolean {
    return this.terminal.buffer.active.type === 'alternate';
  }

  /** Poll the screen until `check` passes; on timeout, fail with what the screen showed. */
  async waitUntil(check: (screen: string) => boolean, what: string, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Let xterm finish parsing what has arrived before looking.
      await new Promise<void>((resolve) => this.terminal.write('', resolve));
      const screen = this.screen();
      if (check(screen)) return screen;
      if (Date.now() > deadline || this.exitStatus) {
        // The bottom line first (status messages, errors): long failure output gets cut short.
        const bottom = screen.trimEnd().split('\n').at(-1) ?? '';
        throw new Error(
          `timed out waiting for ` +
            `${what}${this.exitStatus ? ' (paratop exited)' : ''}; the bottom line ` +
            `read:\n${bottom}\nthe screen showed:\n${screen}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<string> {
    const matches = (screen: string): boolean =>
      typeof pattern === 'string' ? screen.includes(pattern) : pattern.test(screen);
    return this.waitUntil(matches, String(pattern), timeoutMs);
  }

  press(keys: string): void {
    this.process.write(keys);
  }

  /** Left click at a zero-based cell, as an SGR mouse report. */
  click(x: number, y: number): void {
    this.process.write(`\x1b[<0;${x + 1};${y + 1}M\x1b[<0;${x + 1};${y + 1}m`);
  }

  resize(cols: number, rows: number): void {
    this.terminal.resize(cols, rows);
    this.process.resize(cols, rows);
  }

  async waitForExit(timeoutMs = 10_000): Promise<ExitStatus> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`paratop did not exit within ${timeoutMs} ms; screen:\n${this.screen()}`)),
        timeoutMs,
      );
    });
    try {
      const status = await Promise.race([this.exited, timeout]);
      // Let the last bytes (leaving the alternate screen) reach the terminal.
      await new Promise<void>((resolve) => this.terminal.write('', resolve));
      return status;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Make sure nothing is left running, whatever the test did. */
  dispose(): void {
    // With thenStty the shell waits in a sleep after paratop: end it too.
    if (this.viaShell) {
      for (const pid of childrenOf(this.process.pid)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
    }
    if (!this.exitStatus) {
      try {
        this.process.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
    this.terminal.dispose();
  }
}

export const KEYS = {
  enter: '\r',
  escape: '\x1b',
  up: '\x1b[A',
  down: '\x1b[B',
  f9: '\x1b[20~',
  ctrlC: '\x03',
} as const;
