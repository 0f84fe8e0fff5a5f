import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { serviceAccountKeys, type SigningAlg } from '../auth/tokens/keys.js';
import { ensurePki } from '../pki/certs.js';
import { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { checkDataDir, DataDirDamagedError } from './data-dir.js';

const root = mkdtempSync(join(tmpdir(), 'badge-datadir-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** What startServer does to a data dir, in its order. */
async function start(dir: string, alg: SigningAlg = 'ES256'): Promise<void> {
  const dataDir = checkDataDir(dir, alg);
  await serviceAccountKeys(join(dir, 'pki'), alg);
  await ensurePki(dir, new Date());
  const storage = new SqliteStorage(join(dir, 'state.db'));
  for (let i = 0; i < 200; i++) await storage.create(`/registry/configmaps/default/c${i}`, JSON.stringify({ data: 'x'.repeat(200) }));
  await storage.close();
  dataDir.markInitialised();
}

let n = 0;
let template: string;
/** A copy of an initialised data dir. */
function initialised(): string {
  const dir = join(root, `d${n++}`);
  cpSync(template, dir, { recursive: true });
  return dir;
}

/** Asserts that the data dir is refused for `file`, with `problem` and what to do. */
function refused(dir: string, file: string, problem: RegExp, alg: SigningAlg = 'ES256'): void {
  assert.throws(
    () => checkDataDir(dir, alg),
    (err: unknown) => {
      assert.ok(err instanceof DataDirDamagedError);
      assert.equal(err.code, 'DataDirDamaged');
      assert.ok(err.message.startsWith(`the data dir ${dir} is damaged: ${join(dir, file)} `), err.message);
      assert.match(err.message, problem);
      assert.match(err.message, /; restore it from a backup, or remove /);
      return true;
    },
  );
}

describe('checkDataDir', () => {
  before(async () => {
    template = join(root, 'template');
    await start(template);
  });

  it('an initialised data dir is whole, and records its signing key algorithm', async () => {
    const dir = initialised();
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'initialised.json'), 'utf8')), { signingKeys: ['ES256'] });
    const caKey = readFileSync(join(dir, 'pki/ca.key'));
    await start(dir);
    assert.deepEqual(readFileSync(join(dir, 'pki/ca.key')), caKey, 'reused');
  });

  it('a new data dir, or one whose first start stopped half-way, is completed', async () => {
    const dir = join(root, `d${n++}`);
    checkDataDir(dir, 'ES256');
    await ensurePki(dir, new Date());
    rmSync(join(dir, 'pki/admin.key'));
    writeFileSync(join(dir, 'state.db'), '');
    await start(dir);
    assert.ok(existsSync(join(dir, 'pki/admin.key')));
    assert.ok(existsSync(join(dir, 'initialised.json')));
    checkDataDir(dir, 'ES256');
  });

  it('refuses a missing CA, admin or signing key file, or state.db', () => {
    for (const file of ['pki/ca.key', 'pki/ca.crt', 'pki/admin.crt', 'pki/admin.key', 'pki/sa-es256.key', 'state.db']) {
      const dir = initialised();
      rmSync(join(dir, file));
      refused(dir, file, / is missing; restore it from a backup, or remove the whole data dir to start a new cluster$/);
    }
  });

  it('issues the serving certificate again when both its files are gone, not half of them', async () => {
    const dir = initialised();
    rmSync(join(dir, 'pki/serving.key'));
    refused(dir, 'pki/serving.key', new RegExp(`is missing; restore it from a backup, or remove ${join(dir, 'pki/serving.crt')} too and a new serving certificate is issued$`));
    rmSync(join(dir, 'pki/serving.crt'));
    await start(dir);
    assert.ok(existsSync(join(dir, 'pki/serving.key')));
  });

  it('refuses an empty, a foreign and a corrupt state.db', () => {
    let dir = initialised();
    truncateSync(join(dir, 'state.db'), 0);
    refused(dir, 'state.db', / is empty;/);
    dir = initialised();
    writeFileSync(join(dir, 'state.db'), 'not a database, just text'.repeat(100));
    refused(dir, 'state.db', / is not a SQLite database;/);
    dir = initialised();
    const db = readFileSync(join(dir, 'state.db'));
    assert.ok(statSync(join(dir, 'state.db')).size > 5 * 4096);
    db.fill(0x5a, 3 * 4096 + 8, 4 * 4096);
    writeFileSync(join(dir, 'state.db'), db);
    refused(dir, 'state.db', / (fails SQLite's quick_check|cannot be read) \(.+\);/);
  });

  it('refuses a file that does not parse, naming it and what is wrong with it', () => {
    for (const [file, problem] of [
      ['pki/ca.key', /is not a PEM private key \(.*DECODER.*\)/],
      ['pki/admin.crt', /is not a PEM certificate \(.+\)/],
      ['pki/sa-es256.key', /is not a PEM private key \(.+\)/],
      ['initialised.json', /is not Badge's record of the data dir \(.+\)/],
    ] as const) {
      const dir = initialised();
      writeFileSync(join(dir, file), '-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n');
      refused(dir, file, problem);
    }
  });

  it('refuses a key that is not its certificate’s, and a certificate the CA did not issue', async () => {
    let dir = initialised();
    cpSync(join(dir, 'pki/serving.key'), join(dir, 'pki/admin.key'));
    refused(dir, 'pki/admin.key', new RegExp(`is not the key of ${join(dir, 'pki/admin.crt')};`));
    dir = initialised();
    const other = join(root, `d${n++}`);
    await ensurePki(other, new Date());
    for (const f of ['admin.crt', 'admin.key']) cpSync(join(other, 'pki', f), join(dir, 'pki', f));
    refused(dir, 'pki/admin.crt', new RegExp(`was not issued by ${join(dir, 'pki/ca.crt')};`));
  });

  it('makes the key of a newly chosen signing algorithm, and from then on needs it', async () => {
    const dir = initialised();
    await start(dir, 'RS256');
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'initialised.json'), 'utf8')), { signingKeys: ['ES256', 'RS256'] });
    renameSync(join(dir, 'pki/sa-rs256.key'), join(root, 'sa-rs256.key'));
    checkDataDir(dir, 'ES256');
    refused(dir, 'pki/sa-rs256.key', / is missing;/, 'RS256');
    renameSync(join(root, 'sa-rs256.key'), join(dir, 'pki/sa-rs256.key'));
    checkDataDir(dir, 'RS256');
  });
});
