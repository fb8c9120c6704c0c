import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DashboardState } from '../../../src/model/dashboard-state.js';
import { hostKey } from '../../../src/model/hosts-state.js';
import { FrameComposer } from '../../../src/view/frame.js';
import { frameText } from '../../../src/view/frame-text.js';
import { createTheme } from '../../../src/view/theme.js';
import { feed, key, startState } from '../../helpers/dashboard-events.js';
import { hostSample } from '../../helpers/samples.js';

const withHosts = (size = { cols: 120, rows: 30 }): DashboardState =>
  startState({ size, hosts: { label: '3 exporters', slowMs: 1000 } });

const screen = (state: DashboardState): string[] =>
  frameText(new FrameComposer(createTheme(false)).compose(state), state.size.cols, state.size.rows);

const round = (at: number, hosts = threeHosts()) => ({ type: 'hosts-polled' as const, hosts, at });

function threeHosts() {
  return [
    hostSample({ host: 'quiet:9100' }, [5, 5]),
    hostSample({ host: 'busy:9100', name: 'gpu-box' }, [95, 90, 99, 97]),
    hostSample({
      host: 'gone:9100',
      up: false,
      error: 'gone:9100 refused the connection',
      scrapeMs: null,
      cores: null,
    }),
  ];
}

describe('the hosts view', () => {
  test('w with no hosts says how to give some, and nothing else changes', () => {
    const state = feed(startState(), key('w')).state;
    assert.equal(state.hosts, null);
    assert.match(state.status?.text ?? '', /--hosts HOST:PORT.*--prometheus URL/);
  });

  test('w shows the hosts busiest first, the down one last with its reason; w again goes back', () => {
    const shown = feed(withHosts(), round(1000), key('w')).state;
    assert.equal(shown.hosts?.shown, true);
    const lines = screen(shown);
    const text = lines.join('\n');
    assert.match(text, /3 hosts: 2 up, 1 down/);
    const busy = lines.findIndex((line) => line.startsWith('gpu-box'));
    const quiet = lines.findIndex((line) => line.startsWith('quiet:9100'));
    const gone = lines.findIndex((line) => line.startsWith('gone:9100'));
    assert.ok(busy > 0 && quiet > busy && gone > quiet, text);
    assert.match(lines[gone] ?? '', /down\s+gone:9100 refused the connection/);
    assert.match(lines[busy] ?? '', /\s95\.3\s/, 'its CPU%: the mean of its cores');
    assert.equal(feed(shown, key('w')).state.hosts?.shown, false);
  });

  test('the selection follows a host as the order changes; Enter opens it, Esc closes it', () => {
    let state = feed(withHosts(), round(1000), key('w'), key('down')).state;
    const quietKey = hostKey(hostSample({ host: 'quiet:9100' }));
    // quiet becomes the busiest: the cursor stays on it.
    const swapped = [hostSample({ host: 'quiet:9100' }, [99, 99]), hostSample({ host: 'busy:9100' }, [1, 1, 1, 1])];
    state = feed(state, round(3000, swapped), key('enter')).state;
    assert.equal(state.hosts?.open, quietKey);
    const detail = screen(state).join('\n');
    assert.match(detail, /HOST DETAIL/);
    assert.match(detail, /quiet:9100 · up, scraped in 12 ms · 2 cores, 99\.0% busy/);
    assert.match(detail, /No processes from this source/);
    state = feed(state, key('escape')).state;
    assert.equal(state.hosts?.open, null);
    assert.equal(state.hosts?.shown, true);
  });

  test("a host's processes, busiest first, in its detail", () => {
    const host = hostSample({
      host: 'box:9464',
      processes: [
        { pid: 10, name: 'idle', user: 'root', cpu: 0, cpuSeconds: 1, rssBytes: 2 ** 20, threads: 1, members: null },
        { pid: 11, name: 'solver', user: 'ann', cpu: 180, cpuSeconds: 9, rssBytes: 2 ** 30, threads: 8, members: null },
      ],
    });
    const state = feed(withHosts(), round(1000, [host]), key('w'), key('enter')).state;
    const lines = screen(state);
    const solver = lines.findIndex((line) => line.includes('solver'));
    const idle = lines.findIndex((line) => line.includes(' idle'));
    assert.ok(solver > 0 && idle > solver, lines.join('\n'));
    assert.match(lines[solver] ?? '', /11 ann\s+180\.0\s+1\.0G\s+8 solver/);
  });

  test('a history strip grows one reading a round; a slow scrape is called slow', () => {
    let state = withHosts({ cols: 140, rows: 30 });
    for (let at = 1000; at <= 5000; at += 1000) state = feed(state, round(at)).state;
    const slow = [hostSample({ host: 'far:9100', scrapeMs: 1500 }, [50, 50])];
    state = feed(state, key('w')).state;
    assert.equal(state.hosts?.history.get(hostKey(hostSample({ host: 'busy:9100' })))?.length, 5);
    state = feed(state, round(6000, slow)).state;
    assert.match(screen(state).join('\n'), /far:9100\s+slow\s+1500ms/);
  });

  test('hostile host names and errors are inert on screen', () => {
    const hostile = [
      hostSample({ host: 'x:1', name: '{red-fg}evil\x1b]0;pwned\x07' }),
      hostSample({ host: 'y:1', up: false, error: 'bad \x1b[2J{bold}answer', cores: null }),
    ];
    const text = screen(feed(withHosts(), round(1000, hostile), key('w')).state).join('\n');
    assert.ok(!text.includes('\x1b') && !text.includes('\x07'));
    assert.match(text, /\{red-fg\}evil/);
    assert.match(text, /\{bold\}answer/);
  });

  test('1,000 hosts of 64 cores: a compact map, one cell per host, then the list; keys page through it', () => {
    const many = Array.from({ length: 1000 }, (_, index) =>
      hostSample(
        { host: `node${String(index).padStart(4, '0')}:9100` },
        Array.from({ length: 64 }, () => index % 100),
      ),
    );
    let state = feed(withHosts(), round(1000, many), key('w')).state;
    const lines = screen(state);
    assert.equal(lines.length, 30);
    const mapRows = lines.filter((line) => /^\s+\d+ [▁▂▃▄▅▆▇█]+$/.test(line));
    assert.ok(mapRows.length >= 3, lines.join('\n'));
    assert.match(mapRows[0] ?? '', /^\s+1 █/, 'busiest first');
    assert.ok(lines.every((line) => line.length <= 120));
    state = feed(state, key('end')).state;
    assert.equal(state.hosts?.cursor.index, 999);
  });

  test("a host the lab's grid runs on is marked while the run lasts", () => {
    const run = {
      scenarioId: 'grid-dask',
      title: 'Grid search on Dask',
      kind: 'processes' as const,
      workers: 2,
      phase: 'running' as const,
      startedAt: 500,
      pids: [],
      hostName: null,
      step: 'dask: 3 of 125 fits done',
      ctxPerSecond: null,
      elapsedSeconds: 2,
      units: 0,
      coresUsed: null,
      workerStates: [],
      workerHosts: ['quiet.example.org'],
    };
    const lit = feed(withHosts(), round(1000), key('w'), { type: 'lab-changed', run, result: null, output: null });
    const lines = screen(lit.state);
    assert.match(lines.join('\n'), /● the lab grid runs here/);
    assert.ok(
      lines.some((line) => line.startsWith('● quiet:9100')),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((line) => line.startsWith('gpu-box')),
      'the others unmarked',
    );
    const over = feed(lit.state, { type: 'lab-changed', run: null, result: null, output: null });
    assert.ok(!screen(over.state).some((line) => line.includes('●')), 'unmarked once it ends');
  });
});
