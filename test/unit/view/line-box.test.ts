import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, test } from 'node:test';
import type { Widgets } from 'blessed';
import { box, screen as blessedScreen } from '../../../src/view/blessed-parts.js';
import { LineBox } from '../../../src/view/line-box.js';
import { processBodyLines } from '../../../src/view/process-table.js';
import { escapeTags } from '../../../src/view/text-fit.js';
import { createTheme } from '../../../src/view/theme.js';
import { processSample } from '../../helpers/samples.js';

type Cells = [number, string][][];

/** A real blessed screen drawing into a stream, 100x40, as the dashboard creates it. */
function offscreen(): Widgets.Screen {
  const output = Object.assign(new PassThrough(), { isTTY: true, columns: 100, rows: 40 });
  output.resume();
  return blessedScreen({
    input: new PassThrough(),
    output,
    terminal: 'xterm-256color',
    fullUnicode: true,
    smartCSR: true,
    warnings: false,
    forceUnicode: true,
  });
}

const screen = offscreen();
after(() => screen.destroy());

function rows(from: number, count: number, left: number, width: number): string[][] {
  const lines = (screen as unknown as { lines: Cells }).lines;
  return lines
    .slice(from, from + count)
    .map((line) => line.slice(left, left + width).map(([attr, ch]) => `${attr}:${ch}`));
}

const theme = createTheme(true);
const tableRows = [
  {
    process: processSample({ pid: 7, name: 'node', command: 'node {red-fg}tagged{/red-fg} 日本語のプロセス' }),
    treePrefix: '',
  },
  { process: processSample({ pid: 8, name: 'rocket', command: '🚀 rocket e\u0301te' }), treePrefix: '' },
  { process: processSample({ pid: 9, name: 'x', command: 'x'.repeat(200) }), treePrefix: '' },
];
const LINES = [
  `${theme.paint(escapeTags('{bold}not bold{/bold} {open}'), 'title')} plain`,
  ...processBodyLines(tableRows, 8, 0, 10, 60, theme, new Set([9])),
  '',
  escapeTags('wide at the edge: ') + '日'.repeat(40),
  escapeTags('combining: cafe\u0301 ') + theme.paint('🚀 after', 'dim'),
  `${theme.paint('a', 'selected')}b${theme.paint('c', 'dim')}`,
];

test('a line box writes the same cells as a blessed box with the same text', () => {
  for (const width of [60, 37]) {
    const height = LINES.length + 2; // two rows past the text: blank, as blessed leaves them
    const reference = box({ parent: screen, tags: true, wrap: false, top: 0, left: 1, width, height });
    const lines = new LineBox(screen);
    Object.assign(lines.element, { top: height, left: 1, width, height });
    reference.setContent(LINES.join('\n'));
    lines.setLines(LINES);
    screen.render();
    assert.deepEqual(rows(height, height, 1, width), rows(0, height, 1, width), `width ${width}`);
    reference.destroy();
    lines.element.destroy();
    screen.render();
  }
});

test('only rows whose text changed are written again, until something invalidates them', () => {
  const lines = new LineBox(screen);
  Object.assign(lines.element, { top: 0, left: 0, width: 20, height: 3 });
  lines.setLines(['one', 'two', 'three']);
  screen.render();
  const buffer = (screen as unknown as { lines: Cells }).lines;
  const stamp = (y: number): void => {
    const cell = buffer[y]?.[0];
    if (cell) cell[1] = '#';
  };
  stamp(1);
  stamp(2);
  assert.equal(lines.setLines(['ONE', 'two', 'three']), true);
  assert.equal(lines.setLines(['ONE', 'two', 'three']), false, 'the same text again is no change');
  lines.render();
  assert.equal(buffer[0]?.[0]?.[1], 'O', 'the changed row is written');
  assert.equal(buffer[1]?.[0]?.[1], '#', 'an unchanged row is left alone');
  lines.invalidate();
  lines.render();
  assert.equal(buffer[1]?.[0]?.[1], 't', 'after invalidate every row is written');
  assert.equal(buffer[2]?.[0]?.[1], 't');
  lines.setLines(['only one']);
  lines.render();
  assert.equal(buffer[1]?.[0]?.[1], ' ', 'rows past the text are blanked');
  lines.element.destroy();
});
