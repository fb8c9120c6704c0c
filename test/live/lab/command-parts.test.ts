import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { exitCodeOf } from '../../../src/cli/commands/exec.js';
import { CommandLineError, commandFromArgs, commandFromLine } from '../../../src/lab/command-line.js';
import { runnableCommand } from '../../../src/lab/command-request.js';
import { commandResult } from '../../../src/lab/experiments/command.js';
import { findExecutable } from '../../../src/lab/find-executable.js';
import { parsePsLinks, parsePsTime } from '../../../src/sampler/fallback/ps-tree-scanner.js';
import { ProcTreeScanner, parseStatLink } from '../../../src/sampler/linux/proc-tree-scanner.js';
import type { ProcessLink } from '../../../src/sampler/process-tree-scanner.js';
import { followTree } from '../../../src/lab/process-tree.js';
import { OutputLog } from '../../../src/model/output-log.js';
import { outputLines } from '../../../src/view/output-view.js';
import { createTheme } from '../../../src/view/theme.js';
import { fixturesDir } from '../../helpers/fixtures.js';

describe('command lines', () => {
  test('arguments from paratop run are taken as they are; --shell joins them for /bin/sh', () => {
    assert.deepEqual(commandFromArgs(['python3', 'my script.py', '-n', '4'], false), {
      argv: ['python3', 'my script.py', '-n', '4'],
      display: "python3 'my script.py' -n 4",
      shell: false,
    });
    assert.deepEqual(commandFromArgs(['ls | wc -l'], true).argv, ['/bin/sh', '-c', 'ls | wc -l']);
    assert.throws(() => commandFromArgs([], false), /no command given/);
    assert.throws(() => commandFromArgs([''], false), CommandLineError);
    // With --shell, blanks alone would run /bin/sh -c '   ': nothing, and exit 0.
    assert.throws(() => commandFromArgs(['   '], true), /no command given/);
    assert.throws(() => commandFromArgs(['', ' \t'], true), /no command given/);
  });

  test('a typed line: quotes, backslashes and $VARIABLES as a shell reads them, no shell run', () => {
    const request = commandFromLine(`python3 "my script.py" it\\'s $HOME_DIR/x`, { HOME_DIR: '/home/ada' });
    assert.deepEqual(request.argv, ['python3', 'my script.py', "it's", '/home/ada/x']);
    assert.equal(request.shell, false);
    assert.deepEqual(commandFromLine('  sleep 1  # a comment').argv, ['sleep', '1']);
  });

  test('pipes, redirections, && and globs are refused unless the line starts with --shell', () => {
    for (const line of ['ls | wc', 'echo hi > out.txt', 'make && ./run', 'rm *.o', 'a; b']) {
      assert.throws(() => commandFromLine(line), /needs a shell: start the line with --shell/, line);
    }
    assert.deepEqual(commandFromLine('--shell ls | wc -l').argv, ['/bin/sh', '-c', 'ls | wc -l']);
    assert.throws(() => commandFromLine('--shell'), /--shell needs a command line/);
    assert.throws(() => commandFromLine('   '), /no command given/);
  });
});

describe('finding the program', () => {
  const folder = mkdtempSync(join(tmpdir(), 'paratop-find-'));
  after(() => rmSync(folder, { recursive: true, force: true }));
  const script = join(folder, 'job.py');
  writeFileSync(script, 'print(1)\n');
  mkdirSync(join(folder, 'bin'));
  const tool = join(folder, 'bin', 'tool');
  writeFileSync(tool, '#!/bin/sh\n');
  chmodSync(tool, 0o755);

  test('a bare name is looked up on the PATH; a name with a slash is a path', () => {
    assert.equal(findExecutable('tool', { PATH: `/nonexistent:${join(folder, 'bin')}` }), tool);
    assert.equal(findExecutable('./bin/tool', {}, folder), tool);
  });

  test('not found, not executable, a folder, or missing: each said plainly', () => {
    assert.throws(
      () => findExecutable('tool', { PATH: '/nonexistent' }),
      /"tool" was not found on the PATH \(1 folders searched\)/,
    );
    assert.throws(
      () => findExecutable(script, {}),
      /is not executable\. Make it so \(chmod \+x .*job\.py\), or name its interpreter: python3/,
    );
    assert.throws(() => findExecutable(`${join(folder, 'bin')}/`, {}), /is not a file/);
    assert.throws(() => findExecutable('./gone.sh', {}, folder), /\.\/gone\.sh does not exist/);
    assert.throws(() => runnableCommand({ line: 'no-such-program-here --flag' }), /not found on the PATH/);
    assert.deepEqual(runnableCommand({ args: ['sh', '-c', 'true'], shell: false }).argv, ['sh', '-c', 'true']);
  });
});

describe('following a process tree', () => {
  const link = (pid: number, ppid: number, sid: number, startTicks = pid): ProcessLink => ({
    pid,
    ppid,
    pgid: sid,
    sid,
    startToken: String(startTicks),
    startedAt: startTicks * 10,
    name: `p${pid}`,
    cpuSeconds: 0,
    reapedCpuSeconds: 0,
    threads: 1,
  });

  test('the session, its descendants, and re-parented processes already followed; nothing else', () => {
    const links = [
      link(1, 0, 1),
      link(50, 1, 50),
      link(100, 50, 100),
      link(101, 100, 100),
      link(102, 101, 102),
      link(200, 1, 102),
      link(300, 1, 300),
      link(301, 300, 300),
    ];
    // 102 left the session (setsid) but is a child of 101; 200 is an orphan in 102's session, once followed.
    const members = followTree(links, new Map([[200, '200']]), 100).map((entry) => entry.pid);
    assert.deepEqual(
      members.sort((a, b) => a - b),
      [100, 101, 102, 200],
    );
  });

  test('a reused PID (another start time) is not taken for the process that was followed', () => {
    const members = followTree([link(1, 0, 1), link(400, 1, 400, 9999)], new Map([[400, '1234']]), 100);
    assert.deepEqual(members, []);
  });

  test('real /proc: this test process is found with its parent link and threads', () => {
    if (process.platform !== 'linux') return;
    const source = new ProcTreeScanner();
    const self = source.read().find((entry) => entry.pid === process.pid);
    assert.ok(self);
    assert.equal(self.ppid, process.ppid);
    assert.ok(self.threads >= 1);
    assert.ok(source.threads(process.pid).some((thread) => thread.tid === process.pid));
    assert.equal(source.isSame(process.pid, self.startToken), true);
    assert.equal(
      source.isSame(process.pid, `${self.startToken}1`),
      false,
      'another start time: a reused PID, not signalled',
    );
  });

  test('a zombie counts as ended: it only waits to be reaped', () => {
    const line = (state: string): string =>
      `77 (sleep) ${state} 1 77 77 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 12345 0 0`;
    assert.equal(parseStatLink(line('S'))?.cpuSeconds, 0.08);
    assert.equal(parseStatLink(line('Z')), null);
  });
});

describe('ps, where there is no /proc (macOS)', () => {
  test('CPU times in both formats', () => {
    assert.equal(parsePsTime('0:00.52'), 0.52);
    assert.equal(parsePsTime('12:31.45'), 751.45);
    assert.equal(parsePsTime('1-02:00:01'), 93601);
    assert.equal(parsePsTime('00:01:05'), 65);
    assert.equal(parsePsTime('soon'), null);
  });

  test('a macOS listing: links, CPU, and names from full paths', () => {
    const links = parsePsLinks(readFileSync(join(fixturesDir, 'ps-macos.txt'), 'utf8'));
    assert.equal(links.length, 6);
    const worker = links.find((entry) => entry.pid === 4712);
    assert.deepEqual(worker && { ppid: worker.ppid, pgid: worker.pgid, name: worker.name, cpu: worker.cpuSeconds }, {
      ppid: 4711,
      pgid: 4711,
      name: 'Python',
      cpu: 59.99,
    });
    assert.equal(links.find((entry) => entry.pid === 4713)?.name, 'my solver');
    assert.deepEqual(
      followTree(links, new Map(), 4711).map((entry) => entry.pid),
      [4711, 4712, 4713],
    );
  });

  test("the same parser reads this machine's procps ps, and agrees with /proc on parents", () => {
    if (process.platform !== 'linux') return;
    const links = parsePsLinks(execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid=,time=,comm='], { encoding: 'utf8' }));
    const self = links.find((entry) => entry.pid === process.pid);
    assert.equal(self?.ppid, process.ppid);
    assert.equal(self?.name, 'node');
  });
});

describe("a command's output", () => {
  test('lines split as printed, a carriage return rewrites the line, an unended line shows as it stands', () => {
    const log = new OutputLog(3, 20);
    log.append('out', 'one\ntw');
    log.append('err', 'oops\n');
    log.append('out', 'o\n10%\r50%\r100%\npartial');
    // In the order lines were finished; only the last 3 kept.
    assert.deepEqual(log.lines(), [
      { stream: 'err', text: 'oops' },
      { stream: 'out', text: 'two' },
      { stream: 'out', text: '100%' },
      { stream: 'out', text: 'partial' },
    ]);
    assert.equal(log.total, 4);
    log.append('out', `${'x'.repeat(50)}\n`);
    assert.equal(log.lines().at(-1)?.text, `partial${'x'.repeat(13)}`, 'a long line is cut at the limit');
  });

  test('the pane shows escape sequences, control characters and blessed tags inert, stderr coloured', () => {
    const output = {
      display: 'job',
      total: 3,
      running: true,
      lines: [
        { stream: 'out' as const, text: '\u001b]0;pwned\u0007\u001b[31mred\u001b[0m {bold}x{/bold}\u0007' },
        { stream: 'err' as const, text: 'failed' },
        { stream: 'out' as const, text: 'last' },
      ],
    };
    const colour = createTheme(true);
    const [title = '', ...body] = outputLines(output, 60, 3, 0, colour);
    assert.match(title, /Output of job \(running\) · 3 lines · following/);
    assert.equal(body.length, 2, 'the newest lines that fit');
    assert.match(body[0] ?? '', /^\{red-fg\}.*failed/);
    const [, first = ''] = outputLines(output, 60, 4, 0, createTheme(false));
    assert.equal(first, 'red {open}bold{close}x{open}/bold{close}');
    const [, scrolled = ''] = outputLines(output, 60, 2, 2, createTheme(false));
    assert.match(scrolled, /red/);
  });
});

describe("a command's result", () => {
  const measured = {
    wallSeconds: 2,
    cpuSeconds: 3.6,
    coresBefore: null,
    coresAfter: null,
    processes: [
      { pid: 10, ppid: 9, name: 'python3', cpuSeconds: 0.1, peakThreads: 3, firstSeen: 0, lastSeen: 2, ended: true },
      {
        pid: 11,
        ppid: 10,
        name: 'python3',
        cpuSeconds: 1.7,
        peakThreads: 1,
        firstSeen: 0.2,
        lastSeen: 1.9,
        ended: true,
      },
    ],
    peakProcesses: 2,
    peakThreads: 4,
  };
  const request = { argv: ['python3', 'mp.py'], display: 'python3 mp.py', shell: false };

  test('cores, processes and threads in one sentence; the exit code kept', () => {
    const result = commandResult({
      request,
      measured,
      exit: { code: 0, signal: null },
      leftovers: 0,
      stoppedBy: 'finished',
    });
    assert.equal(
      result.summary,
      'exited with code 0 after 2.0 s: 1.80 cores busy on average; 2 processes in all, ' +
        'at most 2 processes and 4 threads at once.',
    );
    assert.equal(result.coresUsed, 1.8);
    assert.deepEqual(result.exit, { code: 0, signal: null });
    assert.equal(result.table?.rows.length, 2);
  });

  test('a stopped command, a killed one, and processes left in the background', () => {
    assert.match(
      commandResult({ request, measured, exit: { code: null, signal: 'SIGINT' }, leftovers: 0, stoppedBy: 'asked' })
        .summary,
      /^stopped \(SIGINT\)/,
    );
    assert.match(
      commandResult({ request, measured, exit: { code: null, signal: 'SIGKILL' }, leftovers: 0, stoppedBy: 'finished' })
        .summary,
      /^killed by SIGKILL/,
    );
    assert.deepEqual(
      commandResult({ request, measured, exit: { code: 0, signal: null }, leftovers: 2, stoppedBy: 'finished' }).lines,
      ['2 processes it left running (in the background) were stopped with it.'],
    );
  });

  test('exit codes as a shell gives them', () => {
    assert.equal(exitCodeOf({ code: 3, signal: null }), 3);
    assert.equal(exitCodeOf({ code: null, signal: 'SIGKILL' }), 137);
    assert.equal(exitCodeOf({ code: null, signal: 'SIGINT' }), 130);
    assert.equal(exitCodeOf(undefined), 1);
  });
});
