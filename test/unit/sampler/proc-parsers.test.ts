import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parsePasswd } from '../../../src/sampler/linux/parse-passwd.js';
import {
  parseCmdline,
  parseMigrations,
  parsePidStat,
  parsePidStatus,
  parseSchedstat,
  statFields,
} from '../../../src/sampler/linux/parse-process-files.js';
import {
  parseLoadavg,
  parseMeminfo,
  parseProcStat,
  parseUptime,
} from '../../../src/sampler/linux/parse-system-files.js';
import { fixturesDir } from '../../helpers/fixtures.js';

const t0 = (path: string): string => readFileSync(join(fixturesDir, 'proc-t0', path), 'utf8');

test('/proc/stat: the all-cores line, one entry per core, boot time', () => {
  const stat = parseProcStat(t0('stat'));
  assert.equal(stat.cores.length, 2);
  assert.deepEqual(stat.cores[0], {
    user: 1254,
    nice: 0,
    system: 517,
    idle: 37024,
    iowait: 6,
    irq: 0,
    softirq: 5,
    steal: 3,
  });
  assert.equal(stat.total.user, 3092);
  assert.equal(stat.bootTime, 1795570613);
});

test('/proc/stat: an offline core leaves a hole, not a shifted index', () => {
  const stat = parseProcStat('cpu  1 0 1 10 0 0 0 0\ncpu0 1 0 1 5 0 0 0 0\ncpu2 0 0 0 5 0 0 0 0\nbtime 5\n');
  assert.equal(stat.cores[1], undefined);
  assert.equal(stat.cores[2]?.idle, 5);
});

test('/proc/stat without a cpu line is an error, not zeros', () => {
  assert.throws(() => parseProcStat(''), /no "cpu" line/);
});

test('/proc/<pid>/stat: a name with spaces and parentheses', () => {
  const stat = parsePidStat(t0('2944/stat'));
  assert.ok(stat);
  assert.equal(stat.pid, 2944);
  assert.equal(stat.comm, 'my (odd) name');
  assert.equal(stat.state, 'S');
  assert.equal(stat.ppid, 2940);
  assert.equal(stat.threads, 1);
  assert.equal(stat.startTicks, 38891);
});

test('/proc/<pid>/stat: a kernel thread and a threaded process', () => {
  const kthreadd = parsePidStat(t0('2/stat'));
  assert.equal(kthreadd?.comm, 'kthreadd');
  assert.equal(kthreadd?.ppid, 0);
  assert.equal(kthreadd?.kernelThread, true, 'PF_KTHREAD is set in its flags');
  const node = parsePidStat(t0('2945/stat'));
  assert.equal(node?.threads, 8);
  assert.equal(node?.cpuTicks, 14);
  assert.equal(node?.kernelThread, false);
});

test('/proc/<pid>/stat: garbage gives null', () => {
  assert.equal(parsePidStat(''), null);
  assert.equal(parsePidStat('12 (x'), null);
});

test('/proc/<pid>/status: effective uid, RSS, context switches; none for a kernel thread', () => {
  const node = parsePidStatus(t0('2945/status'));
  assert.equal(node.uid, 0);
  assert.ok(node.rssBytes > 10 * 1024 * 1024, `node RSS ${node.rssBytes}`);
  assert.equal(node.ctxVoluntary, 12);
  assert.equal(node.ctxInvoluntary, 2);
  assert.equal(parsePidStatus(t0('2/status')).rssBytes, 0);
  assert.equal(parsePidStatus('Name:\tx\nUid:\t1000\t33\t33\t33\n').uid, 33);
});

test('/proc/<pid>/cmdline: NUL-separated arguments; empty stays empty', () => {
  assert.match(parseCmdline(t0('1/cmdline')), /^\/process_api --firecracker-init --addr 0\.0\.0\.0:2024 /);
  assert.equal(parseCmdline(t0('2/cmdline')), '');
  assert.equal(parseCmdline('a\0b c\0\0'), 'a b c');
});

test('/proc/meminfo, loadavg, uptime', () => {
  const memory = parseMeminfo(t0('meminfo'));
  assert.ok(memory.totalBytes > 1e9);
  assert.ok(memory.availableBytes <= memory.totalBytes);
  assert.equal(memory.swapTotalBytes, 0);
  assert.deepEqual(parseLoadavg('0.18 0.14 0.06 1/79 2672\n'), [0.18, 0.14, 0.06]);
  assert.equal(parseUptime('389.92 731.74\n'), 389.92);
});

test('/proc/meminfo from an old kernel without MemAvailable falls back to MemFree', () => {
  const memory = parseMeminfo('MemTotal: 1000 kB\nMemFree: 400 kB\n');
  assert.equal(memory.availableBytes, 400 * 1024);
});

test('/proc/meminfo: a key matches at the start of a line only (SwapCached: is not Cached:)', () => {
  const memory = parseMeminfo(
    'SwapCached:   7 kB\nMemTotal: 1000 kB\nMemFree: 400 kB\nMemAvailable: 600 ' +
      'kB\nCached: 100 kB\nSReclaimable: 20 kB\nSwapTotal: 0 kB\n',
  );
  assert.equal(memory.cachedBytes, 120 * 1024);
  assert.equal(memory.pageCacheBytes, 100 * 1024, 'Cached alone, as node_exporter exports it');
  assert.equal(memory.reclaimableSlabBytes, 20 * 1024);
  assert.equal(memory.availableBytes, 600 * 1024);
  assert.equal(memory.totalBytes, 1000 * 1024);
});

test('/proc/<pid>/stat: a field past the end of the line is NaN, not a shifted neighbour', () => {
  assert.deepEqual(statFields('7 (a b) S 1 2', [4, 5, 6])?.values.slice(0, 2), [1, 2]);
  assert.ok(Number.isNaN(statFields('7 (a b) S 1 2', [4, 5, 6])?.values[2]));
  assert.equal(statFields('7 (a) b) R 3\n', [4])?.comm, 'a) b');
  assert.deepEqual(statFields('7 (a) b) R 3\n', [4])?.values, [3]);
});

test('/etc/passwd: first name wins for a uid', () => {
  const names = parsePasswd(`${readFileSync(join(fixturesDir, 'passwd'), 'utf8')}toor:x:0:0::/:/bin/sh\n# comment\n`);
  assert.equal(names.get(0), 'root');
  assert.equal(names.get(1000), 'student');
  assert.equal(names.size, 3);
});

test('/proc/<pid>/stat: the core it last ran on (field 39); null where the line is too short', () => {
  const fields = Array.from({ length: 52 }, (_, index) => String(index + 1));
  const line = (count: number): string => `77 (spin) R ${fields.slice(3, count).join(' ')}`;
  assert.equal(parsePidStat(line(52))?.lastCpu, 39);
  assert.equal(parsePidStat(line(30))?.lastCpu, null, 'an old kernel: not known, never 0');
});

test('schedstat: time on a core, time waiting for one, slices; anything else is unknown', () => {
  assert.deepEqual(parseSchedstat('891771880 639098524 174\n'), { runNs: 891771880, waitNs: 639098524, slices: 174 });
  assert.equal(parseSchedstat(''), null, 'a kernel without schedstat');
  assert.equal(parseSchedstat('12 x 3'), null);
});

test('sched: migrations between cores, null when the line is missing', () => {
  const text = 'spin (4242, #threads: 1)\n---\nse.exec_start : 1.0\nse.nr_migrations : 93\nnr_switches : 510\n';
  assert.equal(parseMigrations(text), 93);
  assert.equal(parseMigrations('nr_switches : 5\n'), null);
});
