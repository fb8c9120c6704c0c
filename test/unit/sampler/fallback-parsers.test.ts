import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { compactCoreSummary, coreSummary } from '../../../src/model/machine-summary.js';
import { parsePsProcesses } from '../../../src/sampler/fallback/parse-ps-processes.js';
import { parsePsThreads } from '../../../src/sampler/fallback/parse-ps-threads.js';
import {
  SYSCTL_MACHINE_NAMES,
  machineFactsFromSysctl,
  parseSysctlMachine,
} from '../../../src/sampler/fallback/parse-sysctl-machine.js';
import { parseSwapUsage, parseVmStat, vmStatMemory } from '../../../src/sampler/fallback/parse-vm-stat.js';
import { BSD_PS, PROCPS_PS, psProcessArgs, psThreadArgs } from '../../../src/sampler/fallback/ps-dialect.js';
import { assertClose } from '../../helpers/assert-close.js';
import { fixturesDir } from '../../helpers/fixtures.js';

/** A fixture as the sampler reads ps: latin1, one character per byte. */
const bytes = (path: string): string => readFileSync(join(fixturesDir, path), 'latin1');

describe('ps process lines, BSD (macOS) layout', () => {
  const processes = parsePsProcesses(bytes('macos/ps-axo-t0.txt'), BSD_PS);
  const byPid = (pid: number) => processes.find((process) => process.pid === pid);

  test('every line parses; names with spaces and parentheses are cut at their fixed width', () => {
    assert.equal(processes.length, 11);
    const renderer = byPid(61677);
    assert.equal(renderer?.name, 'Codex Helper (Re');
    assert.match(
      renderer?.command ?? '',
      /Codex Helper \(Renderer\)\.app\/Contents\/MacOS\/Codex Helper \(Renderer\) --type/,
    );
    assert.equal(renderer?.ppid, 61150);
    assert.equal(renderer?.user, 'student');
    assert.equal(renderer?.uid, 501);
    assert.equal(renderer?.state, 'R');
    assertClose(renderer?.cpuSeconds, 62.1);
    assert.equal(renderer?.rssBytes, 277456 * 1024);
    assert.equal(renderer?.threads, null, "BSD's ps has no thread count");
    assert.equal(renderer?.startToken, 'Wed May 27 14:12:33 2026');
    assert.equal(renderer?.startedAt, new Date(2026, 4, 27, 14, 12, 33).getTime());
    assert.equal(byPid(63473)?.command, '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    assertClose(byPid(157)?.cpuSeconds, 339 * 60 + 0.01);
  });

  test('a zombie and a process whose arguments ps could not read show as [name]', () => {
    assert.equal(byPid(95310)?.state, 'Z');
    assert.equal(byPid(95310)?.command, '[python3]');
    assert.equal(byPid(418)?.command, '[mds_stores]');
  });

  test("BSD's letters in Linux's terms, escape sequences kept as text for the view to strip", () => {
    const odd = byPid(95400);
    assert.equal(odd?.state, 'D', 'U: uninterruptible wait');
    assert.equal(odd?.name, 'evil\x1b[31mname');
    assert.equal(odd?.command, './evil\\033[31mname --flag');
    assert.equal(byPid(569)?.state, 'S');
  });

  test('a line of another shape is skipped, not guessed at', () => {
    const text = `${bytes('macos/ps-axo-t0.txt')}ps: something went wrong\n\nshort\n`;
    assert.equal(parsePsProcesses(text, BSD_PS).length, 11);
  });
});

describe('ps process lines, procps (Linux) layout, captured on this VM', () => {
  const processes = parsePsProcesses(bytes('procps/ps-axo.txt'), PROCPS_PS);

  test('names with spaces, kernel threads, a zombie, thread counts', () => {
    assert.equal(processes.length, 7);
    const odd = processes.find((process) => process.pid === 27919);
    assert.equal(odd?.name, 'my (odd) name');
    assert.equal(odd?.command, '/tmp/my (odd) name 20');
    assert.equal(odd?.threads, 1);
    assert.equal(processes.find((process) => process.pid === 2)?.command, '[kthreadd]');
    assert.equal(processes.find((process) => process.pid === 15)?.cpuSeconds, 3);
    assert.equal(processes.find((process) => process.pid === 15)?.state, 'I');
    const zombie = processes.find((process) => process.pid === 27963);
    assert.equal(zombie?.state, 'Z');
    assert.equal(zombie?.command, '[python3]');
  });

  test('the command lines paratop runs', () => {
    assert.deepEqual(psProcessArgs(BSD_PS), [
      '-axww',
      '-o',
      'ucomm=,pid=,ppid=,uid=,user=,state=,time=,rss=,lstart=,args=',
    ]);
    assert.deepEqual(psProcessArgs(PROCPS_PS, 42).slice(0, 3), ['-ww', '-p', '42']);
    assert.deepEqual(psThreadArgs(BSD_PS, 42), ['-M', '-p', '42']);
    assert.equal(psThreadArgs(PROCPS_PS, 42)[0], '-L');
  });
});

describe('ps -M (macOS threads), real captures', () => {
  test("Finder's first four threads: CPU time is STIME + UTIME, rows numbered from 1", () => {
    const threads = parsePsThreads(bytes('macos/ps-m-finder.txt'), BSD_PS, 559);
    assert.deepEqual(
      threads.map((thread) => thread.tid),
      [1, 2, 3, 4],
    );
    assertClose(threads[0]?.cpuSeconds, 48.13 + 74.78);
    assertClose(threads[1]?.cpuSeconds, 21.65 + 14.82);
    assert.ok(threads.every((thread) => thread.state === 'S' && thread.name === ''));
  });

  test('with -f and -c columns after the command, and an old PowerPC ps with priorities without T', () => {
    assert.equal(parsePsThreads(bytes('macos/ps-mfc-thread.txt'), BSD_PS, 3066).length, 3);
    const powerbook = parsePsThreads(bytes('macos/ps-axm-powerbook.txt'), BSD_PS, 552);
    assert.equal(powerbook.length, 5);
    assert.equal(powerbook[0]?.state, 'R');
    assertClose(powerbook[0]?.cpuSeconds, 3.62 + 18.71);
  });

  test('another PID, a header alone, or nothing: no threads', () => {
    assert.deepEqual(parsePsThreads(bytes('macos/ps-m-finder.txt'), BSD_PS, 560), []);
    assert.deepEqual(parsePsThreads('USER PID TT %CPU STAT PRI STIME UTIME COMMAND\n', BSD_PS, 559), []);
    assert.deepEqual(parsePsThreads('', BSD_PS, 559), []);
  });

  test("procps's -L: thread IDs and names", () => {
    const threads = parsePsThreads(bytes('procps/ps-L-node.txt'), PROCPS_PS, 14179);
    assert.equal(threads.length, 13);
    assert.deepEqual(threads[0], { tid: 14179, name: 'node', state: 'S', cpuSeconds: 0 });
    assert.equal(threads[11]?.state, 'R');
  });
});

describe('vm_stat and vm.swapusage (an M1 Pro, macOS 15.7)', () => {
  const total = 17179869184;

  test('pages by name, the page size from the header', () => {
    const { pageSize, pages } = parseVmStat(bytes('macos/vm-stat-m1-pro.txt'));
    assert.equal(pageSize, 16384);
    assert.equal(pages.get('Pages wired down'), 159117);
    assert.equal(pages.get('Translation faults'), 574921966);
  });

  test('used as Activity Monitor counts it: app memory + wired + compressed', () => {
    const swap = parseSwapUsage(bytes('macos/swapusage-m1-pro.txt'));
    assert.deepEqual(swap, { totalBytes: 2048 * 2 ** 20, usedBytes: 1470.06 * 2 ** 20 });
    const memory = vmStatMemory(bytes('macos/vm-stat-m1-pro.txt'), total, swap);
    assert.ok(memory);
    assert.equal(memory.usedBytes, (247311 - 630 + 159117 + 454496) * 16384);
    // top on the same machine a moment earlier: "PhysMem: 15G used (2497M wired, 7090M compressor)".
    assertClose((159117 * 16384) / 2 ** 20, 2486, 1);
    assertClose((454496 * 16384) / 2 ** 20, 7101, 1);
    assert.equal(memory.availableBytes, total - memory.usedBytes);
    assert.equal(memory.cachedBytes, (141843 + 630) * 16384);
    assert.equal(memory.freeBytes, (4518 + 3014) * 16384);
    assert.equal(memory.swapUsedBytes, 1470.06 * 2 ** 20);
  });

  test('output of another shape gives nothing rather than a wrong figure', () => {
    assert.equal(vmStatMemory('vm_stat: command not found\n', total, null), null);
    assert.equal(parseSwapUsage(''), null);
  });
});

describe('machine facts from sysctl (macOS)', () => {
  const os = { hostname: 'mac', os: 'macOS 15.7.5', kernel: '24.6.0', arch: 'arm64', logicalCores: 1, memoryBytes: 1 };

  test('Apple silicon (M4 Pro): 14 cores as 10 performance and 4 efficiency, memory, caches', () => {
    const facts = machineFactsFromSysctl(bytes('macos/sysctl-hw-m4-pro.txt'), os);
    assert.equal(facts.logicalCores, 14);
    assert.equal(facts.physicalCores, 14);
    assert.deepEqual(facts.coreKinds, [
      { name: 'Performance', physicalCores: 10, logicalCores: 10 },
      { name: 'Efficiency', physicalCores: 4, logicalCores: 4 },
    ]);
    assert.equal(facts.memoryBytes, 68719476736);
    assert.equal(facts.cpuModel, 'unknown CPU', 'the capture has no machdep.cpu.brand_string');
    assert.deepEqual(
      facts.caches.map((cache) => [cache.name, cache.bytes, cache.sharedBy]),
      [
        ['L1d', 65536, 1],
        ['L1i', 131072, 1],
        ['L2', 4194304, 4],
      ],
    );
    assert.equal(compactCoreSummary(facts), '14 cores (10P+4E)');
    assert.equal(coreSummary(facts), '14 physical cores: 10 performance, 4 efficiency');
  });

  test('an Intel Mac: no performance levels, an L3; Node stands in for the counts sysctl did not give', () => {
    const facts = machineFactsFromSysctl(bytes('macos/sysctl-hw-intel-2018.txt'), { ...os, logicalCores: 8 });
    assert.equal(facts.coreKinds, undefined);
    assert.equal(facts.logicalCores, 8);
    assert.equal(facts.memoryBytes, 17179869184);
    assert.equal(facts.caches.find((cache) => cache.name === 'L3')?.bytes, 8388608);
    assert.equal(compactCoreSummary(facts), '8 cores');
  });

  test('the swap total rides along in the same sysctl run', () => {
    const text = `${bytes('macos/sysctl-hw-m4-pro.txt')}${bytes('macos/swapusage-m1-pro.txt')}`;
    assert.equal(machineFactsFromSysctl(text, os).swapBytes, 2048 * 2 ** 20);
    assert.equal(parseSysctlMachine('').logicalCores, null);
    assert.ok(SYSCTL_MACHINE_NAMES.includes('hw.perflevel1.physicalcpu'));
  });
});
