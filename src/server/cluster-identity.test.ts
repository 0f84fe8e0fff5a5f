import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { signCompact, verifyCompact } from '../auth/tokens/jws.js';
import { serviceAccountKeys, type SigningAlg } from '../auth/tokens/keys.js';
import { ensurePki } from '../pki/certs.js';
import { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { BOOTSTRAP_KEY, ClusterIdentityError, readClusterToken, shareClusterIdentity, type IdentityOptions } from './cluster-identity.js';
import { checkDataDir } from './data-dir.js';

const root = mkdtempSync(join(tmpdir(), 'badge-identity-'));
after(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
const dir = () => join(root, `d${n++}`);

function tokenFile(token = 'one-cluster-token-0123456789abcdef'): string {
  const file = join(root, `token${n++}`);
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return file;
}

/** One store several servers share: a SQLite file outside their data dirs. */
let storage: SqliteStorage;
let store: string;
let logged: string[];
beforeEach(() => {
  store = join(root, `shared${n++}.db`);
  storage = new SqliteStorage(store);
  logged = [];
});
afterEach(() => storage.close());

const options = (dataDir: string, o: Partial<IdentityOptions> = {}): IdentityOptions => ({
  dataDir,
  storage,
  store,
  shared: false,
  alg: 'ES256',
  now: new Date(),
  log: (line) => logged.push(line),
  ...o,
});

/** What startServer does to a data dir before serving, in its order. */
async function start(dataDir: string, o: Partial<IdentityOptions> = {}) {
  const alg: SigningAlg = o.alg ?? 'ES256';
  mkdirSync(dataDir, { recursive: true });
  const checked = checkDataDir(dataDir, alg);
  await shareClusterIdentity(options(dataDir, o));
  const keys = await serviceAccountKeys(join(dataDir, 'pki'), alg);
  const pki = await ensurePki(dataDir, new Date());
  // The data dir's own state.db, which checkDataDir asks for (the servers here share another store).
  await new SqliteStorage(join(dataDir, 'state.db')).close();
  checked.markInitialised();
  return { pki, keys };
}

const read = (dataDir: string, path: string) => readFileSync(join(dataDir, path), 'utf8');
const SHARED = ['pki/ca.crt', 'pki/ca.key', 'pki/admin.crt', 'pki/admin.key', 'pki/front-proxy-client.crt', 'pki/front-proxy-client.key', 'pki/sa-es256.key'];

/** Asserts a ClusterIdentityError whose message matches. */
const refusedWith = (message: RegExp) => (err: unknown) => {
  assert.ok(err instanceof ClusterIdentityError, String(err));
  assert.equal(err.code, 'ClusterIdentity');
  assert.match(err.message, message);
  return true;
};

describe('shareClusterIdentity', () => {
  it('without a token, a store of its own shares nothing', async () => {
    await start(dir());
    assert.equal(await storage.get(BOOTSTRAP_KEY), undefined);
  });

  it('the first server stores the identity sealed; a later one with the token gets the same', async () => {
    const token = tokenFile();
    const [a, b] = [dir(), dir()];
    const first = await start(a, { tokenFile: token });
    const stored = (await storage.get(BOOTSTRAP_KEY))!;
    assert.ok(stored, 'stored outside /registry');
    assert.ok(!stored.value.includes('PRIVATE KEY') && !stored.value.includes('CERTIFICATE') && !stored.value.includes('one-cluster-token'), 'sealed');

    const later = await start(b, { tokenFile: token });
    for (const path of SHARED) assert.equal(read(b, path), read(a, path), path);
    for (const path of SHARED.filter((p) => p.endsWith('.key'))) assert.equal(statSync(join(b, path)).mode & 0o777, 0o600, path);
    // Each server has its own serving certificate, issued by the shared CA.
    assert.notEqual(later.pki.serving.cert, first.pki.serving.cert);
    assert.ok(new X509Certificate(later.pki.serving.cert).verify(new X509Certificate(first.pki.ca.cert).publicKey));
    // A token one server signs verifies with the other's keys.
    const jwt = await signCompact({ alg: first.keys.signing.alg, kid: first.keys.signing.kid }, Buffer.from('{"iss":"x"}'), first.keys.signing.privateKey);
    const key = later.keys.verification.find((k) => k.kid === first.keys.signing.kid)!;
    verifyCompact(jwt, key.alg, key.publicKey);
    // Restarts change nothing.
    await start(a, { tokenFile: token });
    await start(b, { tokenFile: token });
    assert.equal((await storage.get(BOOTSTRAP_KEY))!.modRevision, stored.modRevision);
    assert.equal(read(b, 'pki/ca.key'), read(a, 'pki/ca.key'));
  });

  it('a wrong token is an error at start, and no second CA', async () => {
    await start(dir(), { tokenFile: tokenFile() });
    const stored = await storage.get(BOOTSTRAP_KEY);
    const b = dir();
    const wrong = tokenFile('another-token-0123456789abcdef');
    await assert.rejects(
      start(b, { tokenFile: wrong }),
      refusedWith(new RegExp(`^the cluster token in ${wrong} does not decrypt the cluster's bootstrap data in ${store} \\(/bootstrap/identity: .+\\): start with the token of the cluster's first server$`)),
    );
    assert.ok(!existsSync(join(b, 'pki')), 'nothing written');
    assert.deepEqual(await storage.get(BOOTSTRAP_KEY), stored);
  });

  it('two first servers racing: one identity wins, the other adopts it', async () => {
    const token = tokenFile();
    const [a, b] = [dir(), dir()];
    await Promise.all([start(a, { tokenFile: token }), start(b, { tokenFile: token })]);
    assert.equal((await storage.list('/bootstrap/')).kvs.length, 1);
    for (const path of SHARED) assert.equal(read(b, path), read(a, path), path);
  });

  it('two first servers racing with different tokens: one wins, the other fails', async () => {
    const [a, b] = [dir(), dir()];
    const results = await Promise.allSettled([start(a, { tokenFile: tokenFile() }), start(b, { tokenFile: tokenFile('a-different-token-0123456789') })]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    const [won, lost] = results[0]!.status === 'fulfilled' ? [a, b] : [b, a];
    assert.ok(refusedWith(/does not decrypt the cluster's bootstrap data/)((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason));
    assert.ok(existsSync(join(won, 'pki/ca.crt')));
    assert.ok(!existsSync(join(lost, 'pki/ca.crt')), 'no second CA');
  });

  it('refuses a data dir holding another cluster’s CA or keys, naming the file', async () => {
    const token = tokenFile();
    await start(dir(), { tokenFile: token });
    const other = dir();
    await start(other);
    const ca = read(other, 'pki/ca.crt');
    await assert.rejects(
      start(other, { tokenFile: token }),
      refusedWith(new RegExp(`^the data dir ${other} belongs to another cluster than the one in ${store}: ${join(other, 'pki/ca.crt')} is not the cluster's; start this server with a new data dir, or on its own cluster's store and token$`)),
    );
    assert.equal(read(other, 'pki/ca.crt'), ca, 'not replaced');
    // A signing key the cluster does not have is another cluster's too.
    const stray = dir();
    cpSync(join(other, 'pki/sa-es256.key'), join(stray, 'pki/sa-es256.key'));
    await assert.rejects(start(stray, { tokenFile: token }), refusedWith(new RegExp(`: ${join(stray, 'pki/sa-es256.key')} is not the cluster's;`)));
  });

  it('a server that ran alone shares its own identity when it first gets a token', async () => {
    const a = dir();
    await start(a);
    const ca = read(a, 'pki/ca.crt');
    await start(a, { tokenFile: tokenFile() });
    assert.equal(read(a, 'pki/ca.crt'), ca);
    const b = dir();
    await start(b, { tokenFile: tokenFile() });
    assert.equal(read(b, 'pki/ca.crt'), ca);
  });

  it('a later server must sign with an algorithm the cluster has a key for', async () => {
    const token = tokenFile();
    await start(dir(), { tokenFile: token });
    await assert.rejects(
      start(dir(), { tokenFile: token, alg: 'RS256' }),
      refusedWith(new RegExp(`^the cluster in ${store} signs service account tokens with ES256, not RS256: start with --service-account-signing-alg ES256$`)),
    );
  });

  it('refuses a store that holds a cluster but not its identity, for a data dir without a CA', async () => {
    await storage.create('/registry/namespaces/default', '{}');
    const b = dir();
    await assert.rejects(start(b, { tokenFile: tokenFile() }), refusedWith(new RegExp(`^the store ${store} holds a cluster whose identity it does not hold, and the data dir ${b} has no CA`)));
    assert.equal(await storage.get(BOOTSTRAP_KEY), undefined);
  });

  describe('a shared store (etcd)', () => {
    it('makes DATA/token for a new cluster, and requires the token of the others', async () => {
      const a = dir();
      await start(a, { shared: true });
      const made = join(a, 'token');
      assert.equal(statSync(made).mode & 0o777, 0o600);
      const token = readFileSync(made, 'utf8').trim();
      assert.match(token, /^[0-9a-f]{64}$/);
      assert.deepEqual(logged, [`badge: made the cluster token ${made}: start the cluster's other servers with --cluster-token-file and a copy of it`]);
      await assert.rejects(start(dir(), { shared: true }), refusedWith(new RegExp(`^--cluster-token-file is required: the cluster in ${store} was made by another server; `)));
      const b = dir();
      await start(b, { shared: true, tokenFile: tokenFile(token) });
      assert.equal(read(b, 'pki/ca.key'), read(a, 'pki/ca.key'));
      assert.ok(!existsSync(join(b, 'token')));
      // A restart reads DATA/token.
      await start(a, { shared: true });
      assert.equal(readFileSync(made, 'utf8').trim(), token);
      assert.equal(logged.length, 1);
    });

    it('two first servers racing without a token: the loser keeps no token and no CA', async () => {
      const [a, b] = [dir(), dir()];
      const results = await Promise.allSettled([start(a, { shared: true }), start(b, { shared: true })]);
      const lost = results[0]!.status === 'rejected' ? a : b;
      assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
      const reason = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason;
      assert.ok(refusedWith(new RegExp(`^another server made the cluster in ${store} meanwhile: start this one with --cluster-token-file and a copy of that server's token file$`))(reason));
      assert.ok(!existsSync(join(lost, 'token')) && !existsSync(join(lost, 'pki/ca.crt')));
      assert.equal(logged.length, 1);
    });
  });
});

describe('readClusterToken', () => {
  it('reads the token, trimmed', () => {
    assert.equal(readClusterToken(tokenFile('  0123456789abcdef  ')), '0123456789abcdef');
  });

  it('refuses a file others may read, a short token and a missing file', () => {
    const open = tokenFile();
    chmodSync(open, 0o640);
    assert.throws(() => readClusterToken(open), refusedWith(new RegExp(`^permissions 0640 for the cluster token file ${open} are too open: it must be readable by its owner only \\(chmod 600 ${open}\\)$`)));
    const short = tokenFile('short');
    assert.throws(() => readClusterToken(short), refusedWith(new RegExp(`^the cluster token in ${short} is too short \\(5 characters\\): it must have at least 16 \\(for example: openssl rand -hex 32 > ${short}\\)$`)));
    assert.throws(() => readClusterToken(join(root, 'missing')), refusedWith(/^cannot read the cluster token file: ENOENT/));
  });

  it('never puts the token in a message', async () => {
    const secret = 'very-secret-token-value-0123456789';
    await start(dir(), { tokenFile: tokenFile(secret) }).catch(() => undefined);
    const messages: string[] = [...logged];
    await start(dir(), { tokenFile: tokenFile('wrong-token-value-0123456789') }).catch((err: Error) => messages.push(err.message));
    assert.ok(messages.length > 0 && messages.every((m) => !m.includes(secret) && !m.includes('wrong-token-value')));
    assert.deepEqual(readdirSync(root).filter((f) => f.endsWith('.tmp')), []);
  });
});
