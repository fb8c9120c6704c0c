import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isWorkerHost } from '../../../src/model/worker-hosts.js';

test("a hosts view's host against the hosts an engine's workers report", () => {
  const host = { host: 'node1.lab.example:9100', name: 'node1.lab.example:9100' };
  assert.equal(isWorkerHost(host, []), false);
  assert.equal(isWorkerHost(host, ['node1']), true, 'a short name against a full one');
  assert.equal(isWorkerHost(host, ['NODE1.lab.example']), true, 'case aside');
  assert.equal(isWorkerHost(host, ['node2']), false);
  assert.equal(isWorkerHost({ host: '10.0.0.5:9100', name: 'gpu-box' }, ['10.0.0.5']), true, 'by address');
  assert.equal(isWorkerHost({ host: '10.0.0.5:9100', name: 'gpu-box' }, ['gpu-box']), true, 'by its given name');
  assert.equal(isWorkerHost({ host: '[::1]:9100', name: 'here' }, ['::1']), true, 'IPv6 in brackets');
  assert.equal(isWorkerHost({ host: '10.0.0.6:9100', name: '10.0.0.6:9100' }, ['10.0.0.5']), false, 'addresses whole');
  assert.equal(isWorkerHost({ host: 'fe80::1:9100', name: 'x' }, ['fe80::2']), false);
});
