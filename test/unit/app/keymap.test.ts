import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyToAction } from '../../../src/app/keymap.js';
import { KEY_HELP, REPLAY_KEY_HELP } from '../../../src/view/help.js';

/** The help screen's way of writing a key, as blessed names it. */
const NAMES: Record<string, string> = {
  '↑': 'up',
  '↓': 'down',
  PgUp: 'pageup',
  PgDn: 'pagedown',
  Home: 'home',
  End: 'end',
  Esc: 'escape',
  Space: 'space',
  Enter: 'enter',
  Tab: 'tab',
  'Ctrl-P': 'C-p',
  'Ctrl-N': 'C-n',
  'Ctrl-C': 'C-c',
  H: 'S-h',
  I: 'S-i',
  T: 'S-t',
  '←': 'left',
  '→': 'right',
};

test('every key the help screen lists does something', () => {
  for (const [keys] of KEY_HELP) {
    if (keys.startsWith('mouse')) continue;
    for (const token of keys.split(/\s+/).filter((token) => token && token !== '…')) {
      const full = NAMES[token] ?? (/^F\d+$/.test(token) ? token.toLowerCase() : token);
      const ch = token.length === 1 ? token : undefined;
      assert.notEqual(keyToAction({ kind: 'normal' }, { full, ch }), null, `help lists ${token}, which does nothing`);
    }
  }
});

test('every replay key the help lists is a replay control there, and \u2190 \u2192 do nothing live', () => {
  for (const [keys] of REPLAY_KEY_HELP) {
    for (const token of keys.split(/\s+/).filter(Boolean)) {
      const full = NAMES[token] ?? token;
      const ch = token.length === 1 ? token : undefined;
      const action = keyToAction({ kind: 'normal' }, { full, ch }, true);
      assert.ok(action && /^replay-|pause-toggle/.test(action.type), `${token} in a replay: ${action?.type}`);
    }
  }
  assert.equal(keyToAction({ kind: 'normal' }, { full: 'left', ch: undefined }), null);
  assert.deepEqual(keyToAction({ kind: 'normal' }, { full: '+', ch: '+' }), { type: 'interval-step', step: 1 });
  assert.deepEqual(keyToAction({ kind: 'normal' }, { full: 'S-t', ch: 'T' }), { type: 'trace-export' });
});

test('k is kill (as in htop), j moves down', () => {
  assert.deepEqual(keyToAction({ kind: 'normal' }, { full: 'k', ch: 'k' }), { type: 'kill-open' });
  assert.deepEqual(keyToAction({ kind: 'normal' }, { full: 'j', ch: 'j' }), { type: 'move', move: 'down' });
});

test('in a prompt letters are text, even the ones bound to actions', () => {
  for (const ch of ['q', 'k', 's', ' ', '/', '=', '中']) {
    assert.deepEqual(
      keyToAction({ kind: 'prompt', purpose: 'filter', draft: '' }, { full: ch === ' ' ? 'space' : ch, ch }),
      { type: 'prompt-type', text: ch },
    );
  }
  assert.equal(keyToAction({ kind: 'prompt', purpose: 'calc', draft: '' }, { full: 'C-a', ch: '\x01' }), null);
});
