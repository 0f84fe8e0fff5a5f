import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { backupTime, openLogFile } from './log-file.js';

const MB = 1024 * 1024;
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('audit log file', () => {
  it('is made 0600 in a 0700 directory, and appended to', () => {
    dir = mkdtempSync(join(tmpdir(), 'audit-'));
    const path = join(dir, 'logs', 'audit.log');
    const w = openLogFile({ path, maxSizeMb: 1, maxBackups: 0, maxAgeDays: 0 });
    w.write('one\n');
    w.close();
    const again = openLogFile({ path, maxSizeMb: 1, maxBackups: 0, maxAgeDays: 0 });
    again.write('two\n');
    again.close();
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'logs')).mode & 0o777, 0o700);
    assert.equal(readFileSync(path, 'utf8'), 'one\ntwo\n');
  });

  it('rotates past maxsize to <name>-<UTC time>.<ext>, keeping maxbackup backups no older than maxage', () => {
    dir = mkdtempSync(join(tmpdir(), 'audit-'));
    const path = join(dir, 'audit.log');
    let now = Date.UTC(2026, 11, 7, 16, 5, 9, 42);
    // A backup from long ago, and a file that is not one.
    writeFileSync(join(dir, 'audit-2020-01-01T00-00-00.000.log'), 'old\n');
    writeFileSync(join(dir, 'audit-notes.log'), 'keep\n');
    const w = openLogFile({ path, maxSizeMb: 1, maxBackups: 2, maxAgeDays: 30, now: () => now });
    const line = `${'x'.repeat(MB / 2 - 1)}\n`;
    for (let i = 0; i < 8; i++) {
      w.write(line);
      now += 1000;
    }
    w.close();
    assert.equal(backupTime(Date.UTC(2026, 11, 7, 16, 5, 9, 42)), '2026-12-07T16-05-09.042');
    // Each file holds two lines: 8 lines made 3 rotations; the 2 newest backups are kept, the old one is gone.
    assert.deepEqual(readdirSync(dir).sort(), ['audit-2026-12-07T16-05-13.042.log', 'audit-2026-12-07T16-05-15.042.log', 'audit-notes.log', 'audit.log']);
    assert.equal(statSync(path).size, MB);
    assert.equal(statSync(join(dir, 'audit-2026-12-07T16-05-15.042.log')).mode & 0o777, 0o600);
  });

  it('maxsize 0 never rotates', () => {
    dir = mkdtempSync(join(tmpdir(), 'audit-'));
    const path = join(dir, 'audit.log');
    const w = openLogFile({ path, maxSizeMb: 0, maxBackups: 1, maxAgeDays: 1 });
    for (let i = 0; i < 3; i++) w.write(`${'x'.repeat(MB)}\n`);
    w.close();
    assert.deepEqual(readdirSync(dir), ['audit.log']);
  });
});
