// Start-up refuses a damaged data dir rather than silently replacing what was lost (a new CA or
// service account key would kill every certificate and token the cluster handed out).
//
// A data dir is initialised once it holds `initialised.json`, which its first start writes last:
// after the certificates, the service account signing key and state.db exist (each file is
// written whole, see pki/files.ts). Without it the data dir is new, or its first start did not
// finish, and start-up makes whatever is missing. With it, everything must be there: a missing,
// empty or unreadable file stops start-up with a message that names it. Two things may still be
// made in an initialised data dir:
// - the serving certificate, issued again whenever the names it must cover change: a data dir
//   missing both serving.crt and serving.key gets a new pair (half a pair is damage);
// - the signing key of an algorithm chosen for the first time (--service-account-signing-alg):
//   initialised.json lists the algorithms whose key was made, and only the loss of one of those
//   is damage when it is the one configured (the others only verify tokens; removing such a key
//   retires it).
// A data dir made by a Badge that wrote no initialised.json is taken for an unfinished one once.
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { keyFilesIn, signingKeyFile, type SigningAlg } from '../auth/tokens/keys.js';
import { writePublic } from '../pki/files.js';
import { databaseProblem } from '../storage/sqlite/sqlite-storage.js';

export class DataDirDamagedError extends Error {
  readonly code = 'DataDirDamaged';
}

interface Marker {
  /** The algorithms whose service account signing key this data dir has made. */
  signingKeys: SigningAlg[];
}

export interface DataDir {
  /** Records that the data dir is initialised and has a signing key for the configured algorithm. */
  markInitialised(): void;
}

type Damaged = (file: string, problem: string, fix?: string) => DataDirDamagedError;

/** Reads a file with `parse`; a file that does not parse is damage. */
function parseFile<T>(file: string, parse: (text: string) => T, what: string, damaged: Damaged): T {
  try {
    return parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw damaged(file, `is not ${what} (${(err as Error).message})`);
  }
}

interface Pair {
  certFile: string;
  keyFile: string;
  cert?: X509Certificate;
  key?: KeyObject;
}

/** A certificate and its private key, each read if its file exists; they must belong together. */
function readPair(pki: string, name: string, damaged: Damaged): Pair {
  const certFile = join(pki, `${name}.crt`);
  const keyFile = join(pki, `${name}.key`);
  const cert = existsSync(certFile) ? parseFile(certFile, (t) => new X509Certificate(t), 'a PEM certificate', damaged) : undefined;
  const key = existsSync(keyFile) ? parseFile(keyFile, (t) => createPrivateKey(t), 'a PEM private key', damaged) : undefined;
  if (cert && key && !cert.checkPrivateKey(key)) throw damaged(keyFile, `is not the key of ${certFile}`);
  return { certFile, keyFile, cert, key };
}

function checkPki(pki: string, initialised: boolean, damaged: Damaged): void {
  const ca = readPair(pki, 'ca', damaged);
  const admin = readPair(pki, 'admin', damaged);
  const serving = readPair(pki, 'serving', damaged);
  if (initialised) {
    for (const { cert, key, certFile, keyFile } of [ca, admin]) {
      if (!cert) throw damaged(certFile, 'is missing');
      if (!key) throw damaged(keyFile, 'is missing');
    }
    if (!serving.cert !== !serving.key) {
      const [missing, present] = serving.cert ? [serving.keyFile, serving.certFile] : [serving.certFile, serving.keyFile];
      throw damaged(missing, 'is missing', `restore it from a backup, or remove ${present} too and a new serving certificate is issued`);
    }
  }
  for (const { cert, certFile } of [admin, serving]) {
    if (ca.cert && cert && !cert.verify(ca.cert.publicKey)) throw damaged(certFile, `was not issued by ${ca.certFile}`);
  }
}

function checkDatabase(file: string, initialised: boolean, damaged: Damaged): void {
  if (!existsSync(file)) {
    if (initialised) throw damaged(file, 'is missing');
  } else if (statSync(file).size === 0) {
    // SQLite takes an empty file for an empty database, and a new one starts empty.
    if (initialised) throw damaged(file, 'is empty');
  } else {
    const problem = databaseProblem(file);
    if (problem) throw damaged(file, problem);
  }
}

/**
 * Checks the data dir before start-up; throws DataDirDamagedError if it is damaged. `sqlite`:
 * the objects are in its state.db (not in etcd).
 */
export function checkDataDir(dataDir: string, alg: SigningAlg, sqlite = true): DataDir {
  const damaged: Damaged = (file, problem, fix = 'restore it from a backup, or remove the whole data dir to start a new cluster') =>
    new DataDirDamagedError(`the data dir ${dataDir} is damaged: ${file} ${problem}; ${fix}`);
  const markerFile = join(dataDir, 'initialised.json');
  const marker = existsSync(markerFile) ? parseFile(markerFile, (t) => ({ signingKeys: [...(JSON.parse(t) as Marker).signingKeys] }), "Badge's record of the data dir", damaged) : undefined;
  const pki = join(dataDir, 'pki');
  checkPki(pki, !!marker, damaged);
  for (const file of keyFilesIn(pki)) parseFile(file, (t) => createPrivateKey(t), 'a PEM private key', damaged);
  const signingKey = signingKeyFile(pki, alg);
  if (marker?.signingKeys.includes(alg) && !existsSync(signingKey)) throw damaged(signingKey, 'is missing');
  if (sqlite) checkDatabase(join(dataDir, 'state.db'), !!marker, damaged);
  return {
    markInitialised: () => {
      if (!marker?.signingKeys.includes(alg)) writePublic(markerFile, `${JSON.stringify({ signingKeys: [...(marker?.signingKeys ?? []), alg] })}\n`);
    },
  };
}
