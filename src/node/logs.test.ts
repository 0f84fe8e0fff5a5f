import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { criLine, parseCriLine, readCriLog, tailStart, type CriLogOptions } from './logs.js';

const T = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

async function read(path: string, opts: Partial<CriLogOptions>, running = () => false, signal = new AbortController().signal): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await readCriLog(path, { timestamps: false, follow: false, ...opts }, out, signal, running, 10);
  return Buffer.concat(chunks).toString();
}

describe('CRI logs', () => {
  let dir: string;
  let path: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'badge-logs-'));
    path = join(dir, '0.log');
    writeFileSync(path, [criLine(T(0), 'stdout', 'one'), criLine(T(1), 'stderr', 'two'), criLine(T(2), 'stdout', 'thr', true), criLine(T(2), 'stdout', 'ee'), criLine(T(3), 'stdout', 'four')].join(''));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes lines in the CRI format', () => {
    assert.equal(criLine(T(0), 'stdout', 'hi'), '2026-01-01T00:00:00.000000000Z stdout F hi\n');
    const m = parseCriLine(Buffer.from('2026-01-01T00:00:00.5Z stderr P part\n'))!;
    assert.equal(m.stream, 'stderr');
    assert.equal(m.log.toString(), 'part');
    assert.equal(parseCriLine(Buffer.from('garbage\n')), undefined);
  });

  it('joins partial lines and merges both streams', async () => assert.equal(await read(path, {}), 'one\ntwo\nthree\nfour\n'));
  it('tailLines counts file lines', async () => {
    assert.equal(await read(path, { tailLines: 1 }), 'four\n');
    assert.equal(await read(path, { tailLines: 2 }), 'ee\nfour\n');
    assert.equal(await read(path, { tailLines: 0 }), '');
    assert.equal(tailStart(Buffer.from('a\nb\n'), 5), 0);
  });
  it('timestamps in RFC3339Nano with fixed width', async () => {
    assert.equal((await read(path, { timestamps: true, tailLines: 1 })), '2026-01-01T00:00:03.000000000Z four\n');
  });
  it('sinceSeconds drops older lines', async () => assert.equal(await read(path, { since: T(3) }), 'four\n'));
  it('limitBytes cuts the output', async () => assert.equal(await read(path, { limitBytes: 6 }), 'one\ntw'));

  it('follow waits for new lines until the container stops', async () => {
    const p2 = join(dir, 'follow.log');
    writeFileSync(p2, criLine(T(0), 'stdout', 'a'));
    let running = true;
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString()));
    const done = readCriLog(p2, { timestamps: false, follow: true }, out, new AbortController().signal, () => running, 10);
    await new Promise((r) => setTimeout(r, 40));
    appendFileSync(p2, criLine(T(1), 'stdout', 'b'));
    await new Promise((r) => setTimeout(r, 40));
    assert.equal(text, 'a\nb\n');
    appendFileSync(p2, criLine(T(2), 'stdout', 'c'));
    running = false;
    await done;
    assert.equal(text, 'a\nb\nc\n');
  });

  it('follow ends when the signal aborts', async () => {
    const ac = new AbortController();
    const done = read(path, { follow: true, tailLines: 1 }, () => true, ac.signal);
    setTimeout(() => ac.abort(), 30);
    assert.equal(await done, 'four\n');
  });
});
