import assert from 'node:assert/strict';
import { test } from 'node:test';
import bcrypt from 'bcryptjs';
import { BasicAuth } from '../../../src/export/basic-auth.js';

const header = (credentials: string): string => `Basic ${Buffer.from(credentials).toString('base64')}`;

test('basic auth: the bcrypt hash decides; a password may hold colons', async () => {
  const auth = new BasicAuth(new Map([['prometheus', bcrypt.hashSync('pa:ss', 4)]]));
  assert.ok(auth.required);
  assert.equal(await auth.allows(header('prometheus:pa:ss')), true);
  assert.equal(await auth.allows(header('prometheus:pa:ss')), true, 'again, from what was remembered');
  assert.equal(await auth.allows(header('prometheus:pa')), false);
  assert.equal(await auth.allows(header('nobody:pa:ss')), false);
  assert.equal(await auth.allows(header('no colon')), false);
  assert.equal(await auth.allows('Bearer abc'), false);
  assert.equal(await auth.allows(undefined), false);
});

test('basic auth: no users, no password asked', async () => {
  const auth = new BasicAuth(new Map());
  assert.equal(auth.required, false);
  assert.equal(await auth.allows(undefined), true);
});
