// The identity several servers on one store share, as k3s shares its bootstrap data: the CA, the
// admin's and the front proxy's client certificates and the service account signing keys. The
// first server of a cluster stores them, sealed with its cluster token (pki/seal.ts), under
// BOOTSTRAP_KEY, outside /registry so that no API serves it; a later server with the same token
// unseals them and writes them into its data dir. The serving certificate is not shared: each
// server issues its own, for its own names, with the shared CA (as kubeadm's control-plane nodes do).
//
// - One key for every token (k3s keys by a hash of the token): two first servers racing make one
//   create, so exactly one identity wins, whatever their tokens; the loser adopts the winner's,
//   or, with another token, fails to unseal it. A wrong token is an error, never a second CA.
// - A data dir that already holds some of these files must hold the cluster's: a file that differs
//   stops the start, naming it. Nothing in a data dir is replaced.
// - Without --cluster-token-file, a store of this server alone (SQLite) shares nothing; a shared
//   store (etcd) takes the token from DATA/token, made (random, 0600) for a new cluster as k3s does.
import { randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { keyFilesIn, newSigningKeyPem, signingKeyFile, type SigningAlg } from '../auth/tokens/keys.js';
import { completeSharedPki, loadSharedPki, SHARED_PAIRS } from '../pki/certs.js';
import { writePrivate, writePublic } from '../pki/files.js';
import { seal, unseal, UnsealError } from '../pki/seal.js';
import type { Storage } from '../storage/storage.js';

export const BOOTSTRAP_KEY = '/bootstrap/identity';
const MIN_TOKEN_LENGTH = 16;

export class ClusterIdentityError extends Error {
  readonly code = 'ClusterIdentity';
}

export interface IdentityOptions {
  dataDir: string;
  storage: Storage;
  /** The store, as messages name it (the SQLite file, etcd's endpoints). */
  store: string;
  /** --cluster-token-file */
  tokenFile?: string;
  /** Other servers share the store (etcd): the identity is always shared. */
  shared: boolean;
  alg: SigningAlg;
  now: Date;
  /** A signing key already being made (see startSigningKey), used if the data dir has none. */
  signingKey?: Promise<KeyObject>;
  /** Where the line saying a token file was made goes. */
  log: (line: string) => void;
}

/** Files by their path in the data dir. */
type Files = Record<string, string>;

interface Token {
  token: string;
  file: string;
  /** Made by this start (the first server of a shared store without a token file). */
  made?: boolean;
}

const signingKeyPath = (alg: SigningAlg) => signingKeyFile('pki', alg);
const isSigningKey = (path: string) => /^pki\/sa-[a-z0-9]+\.key$/.test(path);

/** The cluster token in `file`, which only its owner may read. */
export function readClusterToken(file: string): string {
  let text: string;
  let mode: number;
  try {
    mode = statSync(file).mode & 0o777;
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ClusterIdentityError(`cannot read the cluster token file: ${(err as Error).message}`);
  }
  if (mode & 0o077) throw new ClusterIdentityError(`permissions ${mode.toString(8).padStart(4, '0')} for the cluster token file ${file} are too open: it must be readable by its owner only (chmod 600 ${file})`);
  const token = text.trim();
  if (token.length < MIN_TOKEN_LENGTH) throw new ClusterIdentityError(`the cluster token in ${file} is too short (${token.length} characters): it must have at least ${MIN_TOKEN_LENGTH} (for example: openssl rand -hex 32 > ${file})`);
  return token;
}

/** The shared files the data dir holds. */
function localFiles(dataDir: string): Files {
  const files: Files = {};
  const paths = [...SHARED_PAIRS.flatMap((name) => [`pki/${name}.crt`, `pki/${name}.key`]), ...keyFilesIn(join(dataDir, 'pki')).map((f) => `pki/${basename(f)}`)];
  for (const path of paths) if (existsSync(join(dataDir, path))) files[path] = readFileSync(join(dataDir, path), 'utf8');
  return files;
}

/** Writes the files that are not in the data dir as they are in `files` (keys for the owner only). */
function writeFiles(dataDir: string, files: Files, local: Files): void {
  for (const [path, content] of Object.entries(files)) {
    if (local[path] !== content) (path.endsWith('.key') ? writePrivate : writePublic)(join(dataDir, path), content);
  }
}

/** What the first server stores: the data dir's shared files, and new ones for what is missing. */
async function firstFiles(o: IdentityOptions, local: Files): Promise<Files> {
  const pki = completeSharedPki(loadSharedPki(join(o.dataDir, 'pki')), o.now);
  const files: Files = {};
  for (const name of SHARED_PAIRS) {
    files[`pki/${name}.crt`] = pki[name].cert;
    files[`pki/${name}.key`] = pki[name].key;
  }
  for (const [path, content] of Object.entries(local)) if (isSigningKey(path)) files[path] = content;
  files[signingKeyPath(o.alg)] ??= await newSigningKeyPem(o.alg, o.signingKey);
  return files;
}

/** A later server: unseals the cluster's files, checks the data dir's against them, writes the rest. */
async function adopt(o: IdentityOptions, t: Token, sealed: string, local: Files): Promise<void> {
  let files: Files;
  try {
    files = (JSON.parse(await unseal(t.token, BOOTSTRAP_KEY, sealed)) as { files: Files }).files;
  } catch (err) {
    if (!(err instanceof UnsealError)) throw err;
    throw new ClusterIdentityError(`the cluster token in ${t.file} does not decrypt the cluster's bootstrap data in ${o.store} (${BOOTSTRAP_KEY}: ${err.message}): start with the token of the cluster's first server`);
  }
  if (!files[signingKeyPath(o.alg)]) {
    const algs = Object.keys(files).filter(isSigningKey).map((p) => p.slice('pki/sa-'.length, -'.key'.length).toUpperCase());
    throw new ClusterIdentityError(`the cluster in ${o.store} signs service account tokens with ${algs.join(' or ')}, not ${o.alg}: start with --service-account-signing-alg ${algs[0]}`);
  }
  for (const [path, content] of Object.entries(local)) {
    if (files[path] !== content) {
      throw new ClusterIdentityError(
        `the data dir ${o.dataDir} belongs to another cluster than the one in ${o.store}: ${join(o.dataDir, path)} is not the cluster's; start this server with a new data dir, or on its own cluster's store and token`,
      );
    }
  }
  writeFiles(o.dataDir, files, local);
}

/** The cluster token: from --cluster-token-file, else from DATA/token, else (a new cluster) a new one. */
function clusterToken(o: IdentityOptions, stored: boolean): Token {
  if (o.tokenFile) return { token: readClusterToken(o.tokenFile), file: o.tokenFile };
  const file = join(o.dataDir, 'token');
  if (existsSync(file)) return { token: readClusterToken(file), file };
  if (stored) throw new ClusterIdentityError(`--cluster-token-file is required: the cluster in ${o.store} was made by another server; give this one a copy of its token file (its data dir's token, unless it was started with --cluster-token-file)`);
  return { token: randomBytes(32).toString('hex'), file, made: true };
}

/**
 * Makes the data dir's shared identity the cluster's: stores it when the store has none (a new
 * cluster's first server), or writes the stored one into the data dir. Throws ClusterIdentityError
 * for a wrong token, a data dir of another cluster, or a signing algorithm the cluster lacks.
 */
export async function shareClusterIdentity(o: IdentityOptions): Promise<void> {
  if (!o.tokenFile && !o.shared) return;
  const stored = await o.storage.get(BOOTSTRAP_KEY);
  const t = clusterToken(o, !!stored);
  const local = localFiles(o.dataDir);
  if (stored) return adopt(o, t, stored.value, local);
  if (!local['pki/ca.crt'] && (await o.storage.list('/registry/', { limit: 1 })).kvs.length) {
    throw new ClusterIdentityError(
      `the store ${o.store} holds a cluster whose identity it does not hold, and the data dir ${o.dataDir} has no CA: start the server whose data dir holds the cluster's CA with the cluster token first`,
    );
  }
  const files = await firstFiles(o, local);
  // The token file is written before the identity it seals is stored, so a crash leaves no identity no one can open.
  if (t.made) writePrivate(t.file, `${t.token}\n`);
  if (await o.storage.create(BOOTSTRAP_KEY, await seal(t.token, BOOTSTRAP_KEY, JSON.stringify({ files })))) {
    writeFiles(o.dataDir, files, local);
    if (t.made) o.log(`badge: made the cluster token ${t.file}: start the cluster's other servers with --cluster-token-file and a copy of it`);
    return;
  }
  // Another first server stored its identity meanwhile: that one is the cluster's.
  if (t.made) {
    rmSync(t.file);
    throw new ClusterIdentityError(`another server made the cluster in ${o.store} meanwhile: start this one with --cluster-token-file and a copy of that server's token file`);
  }
  const winner = await o.storage.get(BOOTSTRAP_KEY);
  if (!winner) throw new ClusterIdentityError(`the cluster's bootstrap data in ${o.store} (${BOOTSTRAP_KEY}) was deleted during the start`);
  return adopt(o, t, winner.value, local);
}
