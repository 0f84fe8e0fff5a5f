import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { readKeyFile } from './keys.js';

it('readKeyFile: a key that does not parse is reported with its file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'badge-keys-'));
  try {
    const file = join(dir, 'extra.pem');
    writeFileSync(file, '-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n');
    assert.throws(() => readKeyFile(file), (err: Error) => err.message.startsWith(`${file}: `) && /error:[0-9A-F]+:/.test(err.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
