import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExportConfigError } from '../../../src/export/export-error.js';
import { parseWebConfig } from '../../../src/export/web-config.js';

const HASH = '$2y$10$X0h1fGh5Ptfq5M/nDl4kXOgZk5fzSp6lOFQfu4J3vZ7bBSn7Nw/eq';

test("web-config: TLS files resolved against the file's folder, users with bcrypt hashes", () => {
  const spec = parseWebConfig(
    'tls_server_config:\n  cert_file: server.crt\n  key_file: /etc/keys/server.key\n' +
      `basic_auth_users:\n  prometheus: '${HASH}'\n`,
    '/etc/paratop',
  );
  assert.deepEqual(spec.tls, { certFile: '/etc/paratop/server.crt', keyFile: '/etc/keys/server.key' });
  assert.deepEqual([...spec.users], [['prometheus', HASH]]);
});

test('web-config: an empty file means plain HTTP with no password, as in exporter-toolkit', () => {
  assert.deepEqual(parseWebConfig('', '/'), { tls: null, users: new Map() });
  assert.deepEqual(parseWebConfig('basic_auth_users:\n', '/'), { tls: null, users: new Map() });
});

test('web-config: what is refused names the key', () => {
  const refused: [string, RegExp][] = [
    ['a: [', /not valid YAML/],
    ['- a\n- b\n', /must be a YAML mapping/],
    ['http_server_config:\n  http2: true\n', /http_server_config is not supported by paratop/],
    ['tls_server_config:\n  cert_file: a\n', /tls_server_config has no key_file/],
    ['tls_server_config:\n  cert_file: a\n  key_file: b\n  client_ca_file: c\n', /client_ca_file is not supported/],
    ['tls_server_config: yes\n', /must be a mapping with cert_file and key_file/],
    ['basic_auth_users:\n  alice: secret\n', /basic_auth_users\.alice must be a bcrypt hash/],
    ['basic_auth_users: [alice]\n', /mapping of user name to bcrypt hash/],
  ];
  for (const [text, why] of refused) {
    assert.throws(
      () => parseWebConfig(text, '/'),
      (error: unknown) => error instanceof ExportConfigError && why.test(error.message),
      text,
    );
  }
});
