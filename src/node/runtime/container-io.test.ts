// attach's view of a container's streams, as containerd's ContainerIO gives it.
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { ContainerIO } from './container-io.js';

const sink = () => {
  let text = '';
  const w = new Writable({
    write(c: Buffer, _e, cb) {
      text += c;
      cb();
    },
  });
  return { w, text: () => text };
};

describe('ContainerIO', () => {
  it('every session sees the output from its attach on; stdin goes in; the end of input ends a session', async () => {
    const stdin = new PassThrough();
    const io = new ContainerIO({ stdin, tty: false, stdinOnce: false });
    io.output('stdout', Buffer.from('before\n'));
    const [a, b] = [sink(), sink()];
    const input = new PassThrough();
    const first = io.attach({ stdin: input, stdout: a.w, stderr: a.w, tty: false });
    const second = io.attach({ stdout: b.w, tty: false });
    io.output('stdout', Buffer.from('out\n'));
    io.output('stderr', Buffer.from('err\n'));
    input.write('typed\n');
    await new Promise((r) => setImmediate(r));
    assert.equal(String(stdin.read()), 'typed\n');
    input.end();
    await first;
    assert.equal(a.text(), 'out\nerr\n');
    assert.ok(!stdin.writableEnded, "the container's stdin stays open for the next session");
    io.output('stdout', Buffer.from('later\n'));
    io.end();
    await second;
    assert.equal(b.text(), 'out\nlater\n');
    await assert.rejects(io.attach({ tty: false }), /container is in CONTAINER_EXITED state/);
  });

  it("stdinOnce: the first session's end of input closes the container's stdin, the session lasts", async () => {
    const stdin = new PassThrough();
    const io = new ContainerIO({ stdin, tty: false, stdinOnce: true });
    const out = sink();
    const input = new PassThrough();
    let ended = false;
    const session = io.attach({ stdin: input, stdout: out.w, tty: false }).then(() => (ended = true));
    input.end('last\n');
    await new Promise((r) => stdin.once('finish', r));
    assert.equal(ended, false);
    io.output('stdout', Buffer.from('bye\n'));
    io.end();
    await session;
    assert.equal(out.text(), 'bye\n');
  });

  it('with a terminal: one output stream, sizes to the terminal; a client that goes away ends its session', async () => {
    const sizes: unknown[] = [];
    const io = new ContainerIO({ stdin: new PassThrough(), tty: true, stdinOnce: false, resize: (s) => sizes.push(s) });
    const out = sink();
    const err = sink();
    const resize = new (await import('node:events')).EventEmitter();
    const abort = new AbortController();
    const session = io.attach({ stdout: out.w, stderr: err.w, tty: true, resize, signal: abort.signal });
    resize.emit('resize', { width: 100, height: 30 });
    io.output('stderr', Buffer.from('x'));
    abort.abort();
    await session;
    assert.deepEqual(sizes, [{ width: 100, height: 30 }]);
    assert.equal(err.text(), '');
  });
});
