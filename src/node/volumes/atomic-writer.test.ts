import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AtomicWriter, timestampPrefix, validatePath, type Payload } from './atomic-writer.js';

const file = (text: string, mode = 0o644) => ({ data: Buffer.from(text), mode });
const modeOf = (p: string) => statSync(p).mode & 0o7777;

describe('AtomicWriter', () => {
  let dir: string;
  let now = new Date('2026-01-02T03:04:05Z');
  before(() => (dir = mkdtempSync(join(tmpdir(), 'badge-aw-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('names data directories ..YYYY_MM_DD_HH_MM_SS. in UTC', () => {
    assert.equal(timestampPrefix(new Date('2026-01-02T03:04:05.678Z')), '..2026_01_02_03_04_05.');
  });

  it('writes the ..data layout with the files modes', () => {
    const target = join(dir, 'vol');
    const w = new AtomicWriter(target, () => now);
    const payload: Payload = { token: file('t1', 0o600), 'ca.crt': file('ca'), namespace: file('default'), 'sub/dir/x': file('x', 0o400) };
    const r = w.write(payload);
    assert.equal(r.changed, true);
    assert.match(r.dataDir, /^\.\.2026_01_02_03_04_05\.\d+$/);
    assert.equal(readlinkSync(join(target, '..data')), r.dataDir);
    for (const name of ['token', 'ca.crt', 'namespace', 'sub']) {
      assert.ok(lstatSync(join(target, name)).isSymbolicLink(), name);
      assert.equal(readlinkSync(join(target, name)), `..data/${name}`);
    }
    assert.equal(modeOf(join(target, r.dataDir)), 0o755);
    assert.equal(modeOf(join(target, r.dataDir, 'token')), 0o600);
    assert.equal(modeOf(join(target, r.dataDir, 'ca.crt')), 0o644);
    assert.equal(modeOf(join(target, r.dataDir, 'sub/dir/x')), 0o400);
    assert.equal(readFileSync(join(target, 'token'), 'utf8'), 't1');
    assert.equal(readFileSync(join(target, 'sub/dir/x'), 'utf8'), 'x');
    assert.deepEqual(readdirSync(target).sort(), ['..data', r.dataDir, 'ca.crt', 'namespace', 'sub', 'token'].sort());
  });

  it('does nothing when the content is the same', () => {
    const target = join(dir, 'vol');
    const before = readlinkSync(join(target, '..data'));
    const r = new AtomicWriter(target, () => now).write({ token: file('t1', 0o600), 'ca.crt': file('ca'), namespace: file('default'), 'sub/dir/x': file('x', 0o400) });
    assert.equal(r.changed, false);
    assert.equal(readlinkSync(join(target, '..data')), before);
  });

  it('swaps in a new data directory, removing the old one and stale names', () => {
    const target = join(dir, 'vol');
    const old = readlinkSync(join(target, '..data'));
    now = new Date('2026-01-02T04:00:00Z');
    const r = new AtomicWriter(target, () => now).write({ token: file('t2', 0o600), 'ca.crt': file('ca'), namespace: file('default') });
    assert.equal(r.changed, true);
    assert.match(r.dataDir, /^\.\.2026_01_02_04_00_00\./);
    assert.equal(readFileSync(join(target, 'token'), 'utf8'), 't2');
    assert.deepEqual(readdirSync(target).sort(), ['..data', r.dataDir, 'ca.crt', 'namespace', 'token'].sort());
    assert.ok(!readdirSync(target).includes(old));
  });

  it('rewrites when only a mode changes', () => {
    const target = join(dir, 'vol');
    const r = new AtomicWriter(target, () => now).write({ token: file('t2', 0o640), 'ca.crt': file('ca'), namespace: file('default') });
    assert.equal(r.changed, true);
    assert.equal(modeOf(join(target, 'token')), 0o640);
  });

  it('rejects paths that leave the volume', () => {
    assert.throws(() => validatePath('/etc/passwd'), /must be relative path/);
    assert.throws(() => validatePath('../x'), /must not start with '\.\.'/);
    assert.throws(() => validatePath('a/../../x'), /must not contain '\.\.'/);
    assert.throws(() => validatePath(`${'a'.repeat(256)}`), /filenames must be less than 255 characters/);
    assert.doesNotThrow(() => validatePath('a/b.c'));
  });
});
