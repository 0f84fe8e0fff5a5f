// `badge server`: run the API server until SIGINT or SIGTERM.
import { join, resolve } from 'node:path';
import { startSigningKey, type SigningAlg } from '../auth/tokens/keys.js';
import { parseDuration } from '../api/duration.js';
import type { AuditOptions } from '../app.js';
import type { EtcdOptions } from '../storage/etcd/etcd-storage.js';
import { parseFlags, usage, type FlagSpec } from './flags.js';
import { raiseOpenFileLimit } from './open-files.js';

export const DEFAULT_DATA_DIR = '.badge';

export const SERVER_FLAGS: Record<string, FlagSpec> = {
  'data-dir': { type: 'string', default: process.env.BADGE_DATA_DIR ?? DEFAULT_DATA_DIR, help: 'Where the database, certificates, keys and kubeconfig live.' },
  port: { type: 'string', default: '6443', help: 'The HTTPS port (0 picks a free one).' },
  'bind-address': { type: 'string', default: '127.0.0.1', help: 'The address to listen on.' },
  'storage-backend': { type: 'string', default: 'sqlite', help: 'Where objects are stored: sqlite (state.db in the data dir) or etcd3 (--etcd-servers).' },
  'etcd-servers': { type: 'list', default: [], help: 'List of etcd servers to connect with (scheme://ip:port), comma separated (with --storage-backend etcd3).' },
  'etcd-prefix': { type: 'string', default: '/registry', help: 'The prefix to prepend to all resource paths in etcd.' },
  'etcd-cafile': { type: 'string', help: 'SSL Certificate Authority file used to secure etcd communication.' },
  'etcd-certfile': { type: 'string', help: 'SSL certification file used to secure etcd communication.' },
  'etcd-keyfile': { type: 'string', help: 'SSL key file used to secure etcd communication.' },
  'etcd-compaction-interval': { type: 'string', default: '5m', help: 'How often old history is compacted (0 turns it off).' },
  'anonymous-auth': { type: 'boolean', default: true, help: 'Requests with no credentials act as system:anonymous.' },
  'token-auth-file': { type: 'string', help: 'A static token file: token,user,uid,"group1,group2".' },
  'service-account-issuer': { type: 'list', default: [], help: 'Issuer of service account tokens (repeatable; the first signs).' },
  'api-audiences': { type: 'list', default: [], help: 'Audiences of the API (default: the issuers).' },
  'service-account-key-file': { type: 'list', default: [], help: 'PEM file of extra keys that verify service account tokens (repeatable).' },
  'service-account-signing-alg': { type: 'string', default: 'RS256', help: 'RS256 or ES256: the signing key kept in the data dir.' },
  'service-account-max-token-expiration': { type: 'string', default: '0', help: 'The longest token TokenRequest issues (a duration; 0 for no limit).' },
  'service-account-extend-token-expiration': { type: 'boolean', default: true, help: 'Pod tokens of 3607 s are issued for a year, with warnafter.' },
  'service-account-jwks-uri': { type: 'string', help: 'jwks_uri of the OIDC discovery document.' },
  'legacy-service-account-token-clean-up-period': { type: 'string', default: '8760h', help: 'Unused auto-generated legacy token Secrets are invalidated, then deleted, after this long.' },
  'node-monitor-grace-period': { type: 'string', default: '50s', help: 'A node not heard from (its Lease, its Ready heartbeat) for this long is marked Unknown and tainted unreachable.' },
  runtime: { type: 'string', default: 'simulated', help: 'How pods run: simulated (nothing runs; containers count as running) or process (host processes; needs root or user namespaces).' },
  'node-name': { type: 'string', help: 'The name of the node the server registers (default: the host name).' },
  'request-timeout': { type: 'string', default: '1m0s', help: 'The longest a request may take, watches and streams aside; a shorter ?timeout= wins.' },
  'max-requests-inflight': { type: 'string', default: '400', help: 'Requests that read, at most at once (0: no limit); past it, 429.' },
  'max-mutating-requests-inflight': { type: 'string', default: '200', help: 'Requests that write, at most at once (0: no limit); past it, 429.' },
  'audit-policy-file': { type: 'string', help: 'An audit.k8s.io/v1 Policy: which requests are audited, at which level (auditing needs it and --audit-log-path).' },
  'audit-log-path': { type: 'string', help: 'The audit log file (- for standard output).' },
  'audit-log-maxage': { type: 'string', default: '366', help: 'Days a rotated audit log file is kept (0: no limit).' },
  'audit-log-maxbackup': { type: 'string', default: '100', help: 'Rotated audit log files kept (0: all).' },
  'audit-log-maxsize': { type: 'string', default: '100', help: 'Megabytes the audit log grows to before it is rotated (0: never).' },
  'audit-log-format': { type: 'string', default: 'json', help: 'The audit log format: json (one Event a line).' },
  'cluster-token-file': { type: 'string', help: 'A file holding the cluster token (owner-only; 16 characters or more): the CA, client certificates and service account keys are stored in the store sealed with it, and read from there by the other servers of the cluster.' },
  'explain-forbidden': { type: 'boolean', default: false, help: 'A Forbidden reply of the authorizer gets a Warning naming the user\'s closest grant and the kubectl access why command.' },
};

function count(flags: Record<string, unknown>, name: string): number {
  const n = Number(flags[name]);
  if (!Number.isInteger(n) || n < 0) throw new Error(`invalid --${name} ${JSON.stringify(flags[name])}: a count (0 or more)`);
  return n;
}

/** The audit flags; auditing is on when both a policy file and a log path are given. */
function auditOptions(f: Record<string, unknown>): AuditOptions | undefined {
  if (f['audit-log-format'] !== 'json') throw new Error(`invalid --audit-log-format ${JSON.stringify(f['audit-log-format'])}: json`);
  const policyFile = f['audit-policy-file'] as string | undefined;
  const logPath = f['audit-log-path'] as string | undefined;
  if (!policyFile || !logPath) return undefined;
  return { policyFile, logPath, maxAgeDays: count(f, 'audit-log-maxage'), maxBackups: count(f, 'audit-log-maxbackup'), maxSizeMb: count(f, 'audit-log-maxsize') };
}

/** The etcd flags, when --storage-backend is etcd3. */
export function etcdOptions(f: Record<string, unknown>): EtcdOptions | undefined {
  const backend = f['storage-backend'] as string;
  if (backend === 'sqlite') return undefined;
  // kube-apiserver's messages (EtcdOptions.Validate), with Badge's default.
  if (backend !== 'etcd3') throw new Error("--storage-backend invalid, allowed values: etcd3, sqlite. If not specified, it will default to 'sqlite'");
  const servers = (f['etcd-servers'] as string[]).flatMap((s) => s.split(',')).filter(Boolean);
  if (!servers.length) throw new Error('--etcd-servers must be specified');
  for (const s of servers) if (!/^https?:\/\/[^/]+\/?$/.test(s)) throw new Error(`invalid --etcd-servers ${JSON.stringify(s)}: a URL such as http://127.0.0.1:2379`);
  return {
    servers,
    prefix: f['etcd-prefix'] as string,
    caFile: f['etcd-cafile'] as string | undefined,
    certFile: f['etcd-certfile'] as string | undefined,
    keyFile: f['etcd-keyfile'] as string | undefined,
  };
}

export async function serverCommand(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(`Usage: badge server [flags]\n\n${usage(SERVER_FLAGS)}`);
    return 0;
  }
  const f = parseFlags(args, SERVER_FLAGS);
  const port = Number(f.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${String(f.port)}`);
  const runtime = f.runtime as string;
  if (runtime !== 'simulated' && runtime !== 'process') throw new Error(`invalid --runtime ${JSON.stringify(runtime)}: simulated or process`);
  const dataDir = resolve(f['data-dir'] as string);
  const etcd = etcdOptions(f);
  const alg = f['service-account-signing-alg'] as SigningAlg;
  // On a first start the key is made in the thread pool while the server's code loads.
  const signingKey = alg === 'RS256' || alg === 'ES256' ? startSigningKey(join(dataDir, 'pki'), alg) : undefined;
  raiseOpenFileLimit();
  const { startServer } = await import('../app.js');
  const server = await startServer({
    dataDir,
    signingKey,
    port,
    bindAddress: f['bind-address'] as string,
    etcd,
    compactionIntervalMs: parseDuration(f['etcd-compaction-interval'] as string) * 1000,
    legacyTokenCleanUpPeriodSeconds: parseDuration(f['legacy-service-account-token-clean-up-period'] as string),
    nodeMonitorGracePeriodMs: parseDuration(f['node-monitor-grace-period'] as string) * 1000,
    runtime,
    nodeName: (f['node-name'] as string | undefined) || undefined,
    requestTimeoutMs: parseDuration(f['request-timeout'] as string) * 1000,
    inFlight: { readOnly: count(f, 'max-requests-inflight'), mutating: count(f, 'max-mutating-requests-inflight') },
    audit: auditOptions(f),
    explainForbidden: f['explain-forbidden'] as boolean,
    clusterTokenFile: (f['cluster-token-file'] as string | undefined) || undefined,
    auth: {
      anonymousAuth: f['anonymous-auth'] as boolean,
      tokenAuthFile: f['token-auth-file'] as string | undefined,
      serviceAccountIssuers: f['service-account-issuer'] as string[],
      apiAudiences: f['api-audiences'] as string[],
      serviceAccountKeyFiles: f['service-account-key-file'] as string[],
      serviceAccountSigningAlg: alg,
      serviceAccountMaxTokenExpirationSeconds: parseDuration(f['service-account-max-token-expiration'] as string),
      serviceAccountExtendTokenExpiration: f['service-account-extend-token-expiration'] as boolean,
      serviceAccountJwksUri: f['service-account-jwks-uri'] as string | undefined,
    },
  });
  // The last line of defence: every request's errors become Status replies (server.ts), and an
  // error that escapes anyway (a stream's callback) is logged; it does not end the server.
  // Standard output and error may close under it (the reader of a pipe exited): the log is lost
  // then, the server is not. Without a listener each failed log line would be an uncaught error,
  // logged again, failing again: a loop that takes a whole core.
  for (const out of [process.stdout, process.stderr]) out.on('error', () => undefined);
  process.on('uncaughtException', (err) => console.error('badge: uncaught error (still serving):', err));
  process.on('unhandledRejection', (err) => console.error('badge: unhandled rejection (still serving):', err));
  console.log(`Badge is ready at ${server.url} (kubeconfig: ${server.kubeconfigPath})`);
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(done);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}
