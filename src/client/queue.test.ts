import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkQueue } from './queue.js';

describe('WorkQueue', () => {
  it('a key added after more than a timer can wait (an activeDeadlineSeconds of 35 days) is not processed at once', async () => {
    const done: string[] = [];
    const q = new WorkQueue('test', async (key) => void done.push(key));
    q.addAfter('far', 35 * 24 * 3600 * 1000);
    q.addAfter('soon', 10);
    await new Promise((r) => setTimeout(r, 100));
    q.stop();
    assert.deepEqual(done, ['soon']);
  });
});
