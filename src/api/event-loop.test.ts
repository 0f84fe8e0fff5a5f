import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { turns } from './event-loop.js';

describe('turns', () => {
  it('are due once the time has passed since the last yield; other work runs at the yield', async () => {
    let t = 0;
    const turn = turns(10, () => t);
    assert.equal(turn.due(), false);
    t = 9;
    assert.equal(turn.due(), false);
    t = 10;
    assert.equal(turn.due(), true);
    let later = false;
    setImmediate(() => (later = true));
    await turn.next();
    assert.equal(later, true, 'other work ran first');
    assert.equal(turn.due(), false, 'a new turn starts at the yield');
    t = 20;
    assert.equal(turn.due(), true);
  });
});
