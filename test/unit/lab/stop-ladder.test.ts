import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { climbStopLadder, type StopStage, stopStages } from '../../../src/lab/stop-ladder.js';

/** A group whose members end at the stage named (null: they never end). */
function fakeGroup(endsAt: NodeJS.Signals | 'ask' | null, alreadyDone = false) {
  let done = alreadyDone;
  const sent: string[] = [];
  const waited: number[] = [];
  return {
    sent,
    waited,
    ladder: {
      done: () => done,
      send: (stage: StopStage) => {
        const name = stage.signal ?? 'ask';
        sent.push(name);
        if (name === endsAt) done = true;
      },
      waitForEnd: async (ms: number) => {
        waited.push(ms);
      },
    },
  };
}

describe('the stop ladder', () => {
  const stages = stopStages({ ask: 100, terminate: 200, kill: 300 }, null);

  test('stops at the gentlest stage that was enough', async () => {
    const group = fakeGroup('SIGTERM');
    assert.equal(await climbStopLadder(stages, group.ladder), 'terminated');
    assert.deepEqual(group.sent, ['ask', 'SIGTERM']);
    assert.deepEqual(group.waited, [100, 200]);
  });

  test('asking is enough: no signal is sent', async () => {
    const group = fakeGroup('ask');
    assert.equal(await climbStopLadder(stages, group.ladder), 'asked');
    assert.deepEqual(group.sent, ['ask']);
  });

  test('a group that ignores everything gets every stage, SIGKILL last', async () => {
    const group = fakeGroup(null);
    assert.equal(await climbStopLadder(stages, group.ladder), 'killed');
    assert.deepEqual(group.sent, ['ask', 'SIGTERM', 'SIGKILL']);
  });

  test('a group that had ended gets nothing, and says so with null', async () => {
    const group = fakeGroup(null, true);
    assert.equal(await climbStopLadder(stages, group.ladder), null);
    assert.deepEqual(group.sent, []);
  });

  test('the ask stage can be a signal (SIGINT, as Ctrl-C sends)', () => {
    assert.deepEqual(
      stopStages({ ask: 1, terminate: 2, kill: 3 }, 'SIGINT').map((stage) => [
        stage.signal,
        stage.waitMs,
        stage.reason,
      ]),
      [
        ['SIGINT', 1, 'asked'],
        ['SIGTERM', 2, 'terminated'],
        ['SIGKILL', 3, 'killed'],
      ],
    );
  });
});
