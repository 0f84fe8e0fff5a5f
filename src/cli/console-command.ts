// `badge console --print-url [--open]`: a sign-in link to the web console for the cluster's admin.
// The admin kubeconfig signs in with a client certificate, which a browser tab cannot present, so
// the link carries a short-lived bearer token instead, made the way the Kubernetes Dashboard
// documents it: a ServiceAccount bound to cluster-admin, and a TokenRequest (`kubectl create
// token`) with a bounded lifetime. The token goes to standard output only, in the URL's fragment
// (which browsers never send to the server).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { parseDuration } from '../api/duration.js';
import { loadKubeconfig, requestJson, type LiveTarget } from '../access/live-source.js';
import { parseFlags, usage, type FlagSpec, type FlagValues } from './flags.js';
import { DEFAULT_DATA_DIR } from './server-command.js';

export const CONSOLE_ADMIN = { namespace: 'kube-system', name: 'badge-console-admin' };
export const CONSOLE_ADMIN_USER = `system:serviceaccount:${CONSOLE_ADMIN.namespace}:${CONSOLE_ADMIN.name}`;
/** The label the objects made here carry (Kubernetes' recommended label for the tool that manages an object). */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'badge' };
/** TokenRequest's shortest lifetime (ValidateTokenRequest: "may not specify a duration less than 10 minutes"). */
const MIN_SECONDS = 600;
const RBAC = 'rbac.authorization.k8s.io';

const FLAGS: Record<string, FlagSpec> = {
  'print-url': { type: 'boolean', default: false, help: 'Print the sign-in link (https://SERVER/console/#token=TOKEN) on standard output.' },
  open: { type: 'boolean', default: false, help: "Open the sign-in link in the browser (xdg-open, open, or the Windows URL handler; the link is on its command line, which ps shows other local users)." },
  duration: { type: 'string', default: '1h', help: "The token's lifetime, as kubectl create token's --duration (10m at least; the server may cap it)." },
  'data-dir': { type: 'string', help: 'The Badge data dir whose kubeconfig.yaml is the admin\'s.' },
  kubeconfig: { type: 'string', help: 'The admin kubeconfig (default: DIR/kubeconfig.yaml of --data-dir, BADGE_DATA_DIR or ./.badge when it exists, else KUBECONFIG or ~/.kube/config).' },
  context: { type: 'string', help: "The kubeconfig context (default: its current-context)." },
};

const HELP = `Usage: badge console --print-url [--open] [--duration 1h] [--data-dir DIR | --kubeconfig FILE]

A sign-in link to the web console (https://SERVER/console/) for the cluster's admin, with a
short-lived token in the link's fragment. As the admin kubeconfig's user it makes, when missing,
the ServiceAccount ${CONSOLE_ADMIN.namespace}/${CONSOLE_ADMIN.name} and the ClusterRoleBinding ${CONSOLE_ADMIN.name}
to cluster-admin (both labelled app.kubernetes.io/managed-by=badge; the ServiceAccount does not
mount its token into pods), then asks for a token of it (TokenRequest, as kubectl create token).
Anyone holding the link is the cluster's admin until the token expires. Undo with:
  kubectl delete clusterrolebinding ${CONSOLE_ADMIN.name}; kubectl -n ${CONSOLE_ADMIN.namespace} delete serviceaccount ${CONSOLE_ADMIN.name}

${usage(FLAGS)}`;

/** The token's lifetime in seconds from --duration: whole seconds, 10 minutes or more. */
export function tokenSeconds(text: string): number {
  const seconds = parseDuration(text);
  if (!Number.isInteger(seconds)) throw new Error('--duration cannot be expressed in units less than seconds');
  if (seconds < MIN_SECONDS) throw new Error(`--duration must be at least 10m (Kubernetes issues no token for less than ${MIN_SECONDS} s), got ${JSON.stringify(text)}`);
  return seconds;
}

/** The sign-in link: the token in the fragment, which the browser keeps to itself. */
export const consoleUrl = (server: string, token: string) => `${server.replace(/\/+$/, '')}/console/#token=${encodeURIComponent(token)}`;

/**
 * The admin kubeconfig: --kubeconfig; else --data-dir's; else the Badge data dir's (BADGE_DATA_DIR,
 * or ./.badge when it has one), as `badge kubectl` uses; else kubectl's (KUBECONFIG's first file,
 * or ~/.kube/config).
 */
export function kubeconfigPath(f: FlagValues, env: NodeJS.ProcessEnv = process.env, exists: (p: string) => boolean = existsSync): string {
  if (f.kubeconfig) return f.kubeconfig as string;
  if (f['data-dir']) return join(resolve(f['data-dir'] as string), 'kubeconfig.yaml');
  const badge = join(resolve(env.BADGE_DATA_DIR ?? DEFAULT_DATA_DIR), 'kubeconfig.yaml');
  if (env.BADGE_DATA_DIR || exists(badge)) return badge;
  return env.KUBECONFIG?.split(delimiter).find(Boolean) ?? join(homedir(), '.kube', 'config');
}

/** The program that opens a URL in the user's browser, by platform, and its arguments (no shell). */
export function openerFor(platform: NodeJS.Platform, url: string): [string, string[]] {
  if (platform === 'darwin') return ['open', [url]];
  // cmd's `start` would need a shell to parse the line; the URL handler takes the URL as it is.
  if (platform === 'win32') return ['rundll32.exe', ['url.dll,FileProtocolHandler', url]];
  return ['xdg-open', [url]];
}

/**
 * Runs the opener; fails with what to do when it is missing or fails. An opener still running
 * after `waitMs` (some keep the browser they started in the foreground) is left to run.
 */
export function openUrl([command, args]: [string, string[]], waitMs = 3000): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: process.platform !== 'win32' });
    const timer = setTimeout(() => (child.unref(), done()), waitMs);
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      fail(new Error(err.code === 'ENOENT' ? `cannot open the link: ${command} not found (install it, or use --print-url and open the link yourself)` : `cannot open the link with ${command}: ${err.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) done();
      else fail(new Error(`cannot open the link: ${command} exited with ${code ?? signal} (use --print-url and open the link yourself)`));
    });
  });
}

type Obj = { metadata?: { labels?: Record<string, string> }; roleRef?: { kind?: string; name?: string }; subjects?: { kind?: string; name?: string; namespace?: string }[]; status?: { token?: string; expirationTimestamp?: string }; message?: string };

async function call(target: LiveTarget, method: string, path: string, body?: unknown): Promise<{ status: number; body: Obj }> {
  const answer = await requestJson(target, path, { method, body, userAgent: 'badge-console' });
  return { status: answer.status, body: answer.body as Obj };
}

const failed = (what: string, r: { status: number; body: Obj }) => new Error(`${what}: ${r.body.message ?? `HTTP ${r.status}`}`);

/**
 * Reads the object at `path`, or creates it from `object` when it is missing; an object Badge did
 * not make (without the label), or one that `check` finds wrong, is left alone and stops the command.
 */
async function ensure(target: LiveTarget, path: string, shown: string, object: { metadata: { name: string } }, check: (o: Obj) => string | undefined, log: (s: string) => void): Promise<void> {
  const item = `${path}/${object.metadata.name}`;
  let got = await call(target, 'GET', item);
  if (got.status === 404) {
    const made = await call(target, 'POST', path, object);
    if (made.status === 201 || made.status === 200) return log(`${shown} created\n`);
    if (made.status !== 409) throw failed(`creating ${shown}`, made);
    got = await call(target, 'GET', item);
  }
  if (got.status !== 200) throw failed(`reading ${shown}`, got);
  if (got.body.metadata?.labels?.['app.kubernetes.io/managed-by'] !== 'badge') throw new Error(`${shown} exists but Badge did not make it (no label app.kubernetes.io/managed-by=badge): it is left alone and no token is made; delete it, or label it if it is meant for the console`);
  const wrong = check(got.body);
  if (wrong) throw new Error(`${shown} ${wrong}: delete it and run badge console again`);
}

/** The ServiceAccount and its binding to cluster-admin, made when missing. */
async function ensureConsoleAdmin(target: LiveTarget, log: (s: string) => void): Promise<void> {
  const { namespace, name } = CONSOLE_ADMIN;
  const description = { 'kubernetes.io/description': 'The web console admin: badge console --print-url signs in as it with short-lived tokens (TokenRequest).' };
  const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace, labels: MANAGED_BY, annotations: description }, automountServiceAccountToken: false };
  await ensure(target, `/api/v1/namespaces/${namespace}/serviceaccounts`, `serviceaccount/${name} (namespace ${namespace})`, sa, () => undefined, log);
  const subject = { kind: 'ServiceAccount', name, namespace };
  const binding = {
    apiVersion: `${RBAC}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: { name, labels: MANAGED_BY, annotations: description },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [subject],
  };
  await ensure(target, `/apis/${RBAC}/v1/clusterrolebindings`, `clusterrolebinding.${RBAC}/${name}`, binding, (o) => {
    if (o.roleRef?.kind !== 'ClusterRole' || o.roleRef.name !== 'cluster-admin') return `binds ${o.roleRef?.kind}/${o.roleRef?.name}, not ClusterRole/cluster-admin`;
    if (!o.subjects?.some((s) => s.kind === 'ServiceAccount' && s.name === name && s.namespace === namespace)) return `does not name the ServiceAccount ${namespace}/${name}`;
    return undefined;
  }, log);
}

/** A token of the console's ServiceAccount (TokenRequest) and when it expires. */
async function requestToken(target: LiveTarget, seconds: number): Promise<{ token: string; expires: string }> {
  const { namespace, name } = CONSOLE_ADMIN;
  const r = await call(target, 'POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: seconds } });
  if (r.status !== 201 && r.status !== 200) throw failed(`requesting a token of serviceaccount ${namespace}/${name}`, r);
  if (!r.body.status?.token) throw new Error(`requesting a token of serviceaccount ${namespace}/${name}: the reply holds no token`);
  return { token: r.body.status.token, expires: r.body.status.expirationTimestamp ?? '' };
}

export async function consoleCommand(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const f = parseFlags(args, FLAGS);
  if (!f['print-url'] && !f.open) {
    process.stderr.write(`badge console: say --print-url or --open\n\n${HELP}\n`);
    return 2;
  }
  const seconds = tokenSeconds(f.duration as string);
  const path = kubeconfigPath(f);
  if (!existsSync(path)) throw new Error(`no kubeconfig at ${path}: start the server first (badge server), or give --data-dir or --kubeconfig`);
  const target = loadKubeconfig(path, f.context as string | undefined);
  const log = (s: string) => void process.stderr.write(s);
  try {
    await ensureConsoleAdmin(target, log);
    const { token, expires } = await requestToken(target, seconds);
    const url = consoleUrl(target.server, token);
    log(`a sign-in link as ${CONSOLE_ADMIN_USER} (cluster-admin) on ${target.server}, valid until ${expires}: whoever holds it is the admin until then\n`);
    if (f['print-url']) process.stdout.write(`${url}\n`);
    if (f.open) await openUrl(openerFor(process.platform, url));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code && /^(ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|ECONNRESET|EAI_AGAIN)$/.test(e.code)) throw new Error(`cannot reach the server ${target.server} (kubeconfig ${path}): ${e.message}; is it running?`);
    throw err;
  }
  return 0;
}
