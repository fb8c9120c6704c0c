import type { Widgets } from 'blessed';
import { box, unicode } from './blessed-parts.js';

/** One cell of blessed's screen buffer: attribute code, then the character(s) shown. */
type Cell = [number, string];

/**
 * A parsed row: the cells' attributes and characters side by side. Two arrays a row rather than
 * one small array a cell: a 120-column row is 2 allocations instead of 121, and half the memory.
 */
interface RowCells {
  attrs: number[];
  chars: string[];
}

/** The parts of blessed's Element and Screen a line box draws with (missing from blessed's typings). */
interface BlessedInternals {
  lpos?: unknown;
  _getCoords(get: boolean): { xi: number; xl: number; yi: number; yl: number } | undefined;
  _parseTags(text: string): string;
  sattr(style: unknown): number;
  style: unknown;
  screen: {
    lines: (Cell[] & { dirty?: boolean })[];
    attrCode(code: string, current: number, fallback: number): number;
  };
}

/** What blessed's content parser removes before drawing: C0 controls, and escapes that are not colours. */
const CONTROLS = /[\x00-\x08\x0b-\x0c\x0e-\x1a\x1c-\x1f\x7f]|\x1b(?!\[[\d;]*m)/g;
const SGR = /\x1b\[[\d;]*m/y;
const WIDE = (unicode as unknown as { chars: { all: RegExp } }).chars.all;
const COMBINING = (unicode as unknown as { combining: Record<number, boolean> }).combining;

/**
 * A box of one-line rows, drawn straight into blessed's screen buffer. blessed's own boxes re-parse
 * all their text (tags, wrapping, colour codes, twice) and rewrite every cell whenever any line
 * changes; here a row is parsed once per distinct text and only rows whose text changed are
 * written. The cells are what a blessed box (tags on, no wrap, fullUnicode) would write; a test
 * compares the two.
 */
export class LineBox {
  readonly element: Widgets.BoxElement;
  private lines: string[] = [];
  /** The text each row holds on the screen, as last written; emptied when something drew over them. */
  private written: string[] = [];
  private cellsByText = new Map<string, RowCells>();
  private width = -1;

  constructor(parent: Widgets.Screen) {
    this.element = box({ parent, tags: true, wrap: false, top: 0, left: 0, width: 1, height: 1 });
    // blessed calls render() for a full frame; this one writes rows instead of parsing content.
    (this.element as unknown as { render(): void }).render = () => this.render();
  }

  /** New text, one string per row. Returns whether anything differs from what is shown. */
  setLines(lines: readonly string[]): boolean {
    const changed = lines.length !== this.lines.length || lines.some((line, row) => line !== this.lines[row]);
    if (changed) this.lines = [...lines];
    return changed;
  }

  /** The next render writes every row: something else (a resize, an overlay, a move) drew over them. */
  invalidate(): void {
    this.written = [];
  }

  render(): void {
    const element = this.element as unknown as BlessedInternals;
    const coords = element._getCoords(true);
    if (!coords) {
      delete element.lpos;
      return;
    }
    element.lpos = coords;
    const width = coords.xl - coords.xi;
    if (width !== this.width) {
      this.width = width;
      this.cellsByText = new Map();
      this.written = [];
    }
    const defaultAttr = element.sattr(element.style);
    const used = new Map<string, RowCells>();
    for (let row = 0; row < coords.yl - coords.yi; row += 1) {
      const line = element.screen.lines[coords.yi + row];
      if (!line) break;
      const text = this.lines[row] ?? '';
      const cells = this.cellsByText.get(text) ?? used.get(text) ?? this.parse(text, width, defaultAttr);
      used.set(text, cells);
      if (this.written[row] === text) continue;
      const { attrs, chars } = cells;
      for (let x = 0; x < width; x += 1) {
        const target = line[coords.xi + x];
        const attr = attrs[x];
        const char = chars[x];
        if (!target || attr === undefined || char === undefined) break;
        if (target[0] !== attr || target[1] !== char) {
          target[0] = attr;
          target[1] = char;
          line.dirty = true;
        }
      }
      this.written[row] = text;
    }
    this.written.length = Math.min(this.written.length, coords.yl - coords.yi);
    // Keep only the texts on screen now: a table's rows change, and old ones would pile up.
    this.cellsByText = used;
  }

  /** A row's cells, as blessed's parseContent and render would make them. */
  private parse(text: string, width: number, defaultAttr: number): RowCells {
    const element = this.element as unknown as BlessedInternals;
    const content = element._parseTags(text.replace(CONTROLS, '').replace(/\t/g, '    ')).replace(WIDE, '$1\x03');
    const attrs: number[] = [];
    const chars: string[] = [];
    let attr = defaultAttr;
    let at = 0;
    while (at < content.length && chars.length < width) {
      if (content.charCodeAt(at) === 0x1b) {
        SGR.lastIndex = at;
        const code = SGR.exec(content)?.[0];
        if (code) {
          attr = element.screen.attrCode(code, attr, defaultAttr);
          at += code.length;
          continue;
        }
      }
      const point = content.codePointAt(at) ?? 0;
      const char = point > 0xffff ? content.slice(at, at + 2) : content.charAt(at);
      at += char.length;
      const last = chars.length - 1;
      if (COMBINING[point] && last >= 0) chars[last] += char;
      else {
        attrs.push(attr);
        chars.push(char);
      }
    }
    while (chars.length < width) {
      attrs.push(attr);
      chars.push(' ');
    }
    return { attrs, chars };
  }
}
