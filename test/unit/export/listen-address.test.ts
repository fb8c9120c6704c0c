import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExportConfigError } from '../../../src/export/export-error.js';
import {
  DEFAULT_LISTEN,
  formatListenAddress,
  isWildcard,
  parseListenAddress,
  wildcardWarning,
} from '../../../src/export/listen-address.js';

test('listen addresses: IPv4, IPv6 in brackets, host names, every interface', () => {
  assert.deepEqual(parseListenAddress(DEFAULT_LISTEN), { host: '127.0.0.1', port: 9464 });
  assert.deepEqual(parseListenAddress('[::1]:9464'), { host: '::1', port: 9464 });
  assert.deepEqual(parseListenAddress('localhost:80'), { host: 'localhost', port: 80 });
  assert.deepEqual(parseListenAddress(':9464'), { host: '', port: 9464 });
  assert.deepEqual(parseListenAddress('127.0.0.1:0'), { host: '127.0.0.1', port: 0 });
  assert.equal(formatListenAddress({ host: '::1', port: 9464 }), '[::1]:9464');
  assert.equal(formatListenAddress({ host: '127.0.0.1', port: 1 }), '127.0.0.1:1');
});

test('listen addresses: what is refused, and why', () => {
  const refused: [string, RegExp][] = [
    ['nonsense', /no port given/],
    ['127.0.0.1:99999', /"99999" is not a port/],
    ['127.0.0.1:', /"" is not a port/],
    ['127.0.0.1:-1', /"-1" is not a port/],
    ['::1:9464', /in brackets: \[::1\]:9464/],
    ['[127.0.0.1]:9464', /not an IPv6 address/],
    ['bad_host!:9464', /neither an IP address nor a host name/],
  ];
  for (const [text, why] of refused) {
    assert.throws(
      () => parseListenAddress(text),
      (error: unknown) =>
        error instanceof ExportConfigError && why.test(error.message) && /ADDRESS:PORT/.test(error.message),
      text,
    );
  }
});

test('only a wildcard address earns the warning, and it says whether anything protects it', () => {
  assert.ok(isWildcard(parseListenAddress('0.0.0.0:9464')));
  assert.ok(isWildcard(parseListenAddress('[::]:9464')));
  assert.ok(isWildcard(parseListenAddress(':9464')));
  assert.equal(wildcardWarning(parseListenAddress('127.0.0.1:9464'), false), null);
  assert.match(
    wildcardWarning(parseListenAddress('0.0.0.0:9464'), false) ?? '',
    /every interface.*no TLS, no password/,
  );
  assert.doesNotMatch(wildcardWarning(parseListenAddress('0.0.0.0:9464'), true) ?? '', /no TLS/);
});
