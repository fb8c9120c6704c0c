import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArgumentError } from 'commander';
import {
  parseHostList,
  parseHostsFileText,
  parsePrometheusSelector,
  parsePrometheusUrl,
} from '../../../src/cli/option-parsers.js';

const rejects = (parse: () => unknown, pattern: RegExp): void => {
  assert.throws(parse, (error: unknown) => error instanceof InvalidArgumentError && pattern.test(error.message));
};

test('--hosts: names, addresses and [IPv6] with ports, or URLs; the same host once', () => {
  assert.deepEqual(
    parseHostList('node1:9100, 10.0.0.7:9100,[::1]:9100,https://lab.example:8443/x').map((target) => target.url),
    [
      'http://node1:9100/metrics',
      'http://10.0.0.7:9100/metrics',
      'http://[::1]:9100/metrics',
      'https://lab.example:8443/x',
    ],
  );
  assert.deepEqual(
    parseHostList('b:2', parseHostList('a:1,b:2')).map((target) => target.host),
    ['a:1', 'b:2'],
    'given twice, the lists add up',
  );
  assert.equal(parseHostList('http://a:9100').at(0)?.url, 'http://a:9100/metrics');
});

test('--hosts: what is wrong, and what is accepted', () => {
  rejects(() => parseHostList(''), /^It must be HOST:PORT\[,HOST:PORT...\].*; it is empty\.$/);
  rejects(() => parseHostList('nonsense:port'), /"port" is not a port from 1 to 65535/);
  rejects(() => parseHostList('node1'), /it has no :PORT/);
  rejects(() => parseHostList('a:9100,b:99999'), /"b:99999": "99999" is not a port/);
  rejects(() => parseHostList('bad_host!:80'), /is not a host name or address/);
  rejects(() => parseHostList('http://user:secret@a:1'), /password/);
});

test('--hosts-file text: names, comments, blank lines; the bad line by number', () => {
  const targets = parseHostsFileText('# lab machines\n\nnode1:9100  Bench 1\n10.0.0.7:9100 # no name\r\n');
  assert.deepEqual(
    targets.map((target) => [target.host, target.name]),
    [
      ['node1:9100', 'Bench 1'],
      ['10.0.0.7:9100', '10.0.0.7:9100'],
    ],
  );
  assert.equal(parseHostsFileText('a:1 \u001b[2Jevil\u202e').at(0)?.name, '[2Jevil', 'a name is made inert');
  rejects(() => parseHostsFileText('a:1\nnonsense\n'), /^Line 2: it has no :PORT\. Each line must be HOST:PORT/);
  rejects(() => parseHostsFileText('# only comments\n'), /names no host/);
});

test('--prometheus: an http(s) URL', () => {
  assert.equal(parsePrometheusUrl('http://127.0.0.1:9090'), 'http://127.0.0.1:9090/');
  rejects(() => parsePrometheusUrl('not-a-url'), /http\(s\) URL of a Prometheus server/);
  rejects(() => parsePrometheusUrl('ftp://x'), /http\(s\) URL/);
  rejects(() => parsePrometheusUrl('http://u:p@x:9090'), /password/);
});

test('--prometheus-selector: label matchers only, nothing that ends the selector', () => {
  assert.equal(parsePrometheusSelector('{job="lab"}'), 'job="lab"');
  assert.equal(parsePrometheusSelector(' { job = "lab" , instance=~"a,b.*" } '), 'job="lab",instance=~"a,b.*"');
  assert.equal(parsePrometheusSelector('{}'), '');
  rejects(() => parsePrometheusSelector('bogus'), /not in braces/);
  rejects(() => parsePrometheusSelector('{job="lab"}) or vector(1'), /not in braces|label matcher/);
  rejects(() => parsePrometheusSelector('{job="a"} or up{x="1"}'), /not a label matcher/);
  rejects(() => parsePrometheusSelector('{job=lab}'), /"job=lab" is not a label matcher/);
});
