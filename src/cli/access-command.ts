// `badge access who-can|why|matrix …` (also the kubectl plugin `kubectl access …`): the access
// analysis over the live cluster (the kubeconfig's) or over manifest files (-f, repeatable).
import { yaml } from '../api/yaml.js';
import { AccessPolicy, parseSubject, type Request } from '../access/policy.js';
import { loadFiles } from '../access/load-files.js';
import { loadKubeconfig, loadLive } from '../access/live-source.js';
import { ACCESS_LISTS } from '../access/lists.js';
import { describeResource, parseResource, type ResourceTable } from '../access/resources.js';
import { whoCan } from '../access/who-can.js';
import { why } from '../access/why.js';
import { matrix } from '../access/matrix.js';
import { diffTable, matrixTable, whoCanTable, whyText } from '../access/print.js';
import { diff, gainsAny } from '../access/diff.js';
import { failsAt, lint, LINT_RULES } from '../access/lint/lint.js';
import { explain, findingsTable, sarif } from '../access/lint/report.js';
import { SEVERITIES, type Severity } from '../access/lint/types.js';
import { withAudit } from '../access/lint/audit-rules.js';
import { parseSince, readAuditLog, type AuditRead } from '../access/audit-log.js';
import { suggest, suggestionYaml } from '../access/suggest.js';
import { everyoneMay, unused, unusedTable } from '../access/unused.js';
import type { UserInfo } from '../api/user.js';

export const ACCESS_USAGE = `Usage:
  access who-can VERB RESOURCE[/SUBRESOURCE] [NAME] [-n NS | -A]   every subject allowed, with binding → role → rule
  access who-can VERB /URL                                         for a non-resource URL
  access why SUBJECT VERB RESOURCE[/SUBRESOURCE] [NAME] [-n NS]    allowed or denied, and why (exit 0 allowed, 1 denied)
  access matrix SUBJECT [-n NS]                                    resources × verbs for one subject
  access lint [--fail-on SEVERITY] [--audit-log FILE]              risky grants and ServiceAccount use, by rule (exit 1 at or above SEVERITY)
  access lint --explain ID                                         what a rule checks and how to fix it
  access suggest SUBJECT --audit-log FILE [--since D] [-n NS]      least-privilege Roles and bindings for what SUBJECT did (exit 1: no request matched)
  access unused SUBJECT --audit-log FILE [--since D] [--all]       SUBJECT's grants, and which verb/resource of each rule the log never used
  access diff --before SRC --after SRC [--fail-on-gain]            permissions each subject gains (+) and loses (-)
SUBJECT: system:serviceaccount:NS:NAME, user:NAME or group:NAME. RESOURCE: pods, deployments.apps, deploy, …
Flags:
  -f, --filename FILE|DIR|-   read manifests (repeatable; Kubernetes' bootstrap roles are added) instead of the cluster
  -n, --namespace NS          namespace (default: the kubeconfig context's, or "default" with -f)
  -A, --all-namespaces        who-can: RoleBindings of every namespace
  -o, --output FORMAT         wide, json or yaml (lint: json, yaml or sarif)
  --fail-on SEVERITY          lint: crit, high, med, low or info
  --explain ID                lint: print rule ID's description and fix
  --audit-log FILE|DIR|-      suggest, unused, lint: kube-apiserver audit log (repeatable; JSON lines or YAML, EventList or List; a directory's files, .gz too)
  --since DURATION            suggest, unused, lint: only requests this recent (30m, 24h, 7d)
  --generate-name NAME        suggest: the objects' name (default badge-suggest:NS:NAME or badge-suggest:USER)
  --all                       unused: include the bootstrap grants every authenticated user or ServiceAccount has;
                              suggest: keep the requests those grants already allow
  --before, --after SRC       diff: the two sides, each FILE|DIR|- (repeatable), live (the kubeconfig's cluster), or live
                              and files (the cluster as kubectl apply -f FILES would leave it); -o wide (or --expand-groups)
                              adds what each ServiceAccount gains or loses through its groups
  --fail-on-gain              diff: exit 1 when any subject gains a permission
  --kubeconfig FILE, --context NAME
Lint findings are suppressed by the annotation badge.dev/ignore-ID: "REASON" on the object.
Exit codes: 0 done (why: allowed), 1 why: denied, lint: a finding at or above --fail-on, suggest: no request matched (or an unreadable log), diff: a gain with --fail-on-gain, 2 usage error, 3 the cluster could not be read at all.
`;

interface Args {
  positional: string[];
  files: string[];
  namespace?: string;
  all: boolean;
  output: string;
  kubeconfig?: string;
  context?: string;
  failOn?: Severity;
  explain?: string;
  auditLogs: string[];
  sinceMs?: number;
  generateName?: string;
  allGrants: boolean;
  before: string[];
  after: string[];
  failOnGain: boolean;
  expandGroups: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { positional: [], files: [], all: false, output: '', auditLogs: [], allGrants: false, before: [], after: [], failOnGain: false, expandGroups: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = () => {
      const v = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new Error(`flag needs an argument: ${flag}`);
      return v;
    };
    if (flag === '-f' || flag === '--filename') a.files.push(value());
    else if (flag === '-n' || flag === '--namespace') a.namespace = value();
    else if (flag === '-A' || flag === '--all-namespaces') a.all = true;
    else if (flag === '-o' || flag === '--output') a.output = value();
    else if (flag === '--kubeconfig') a.kubeconfig = value();
    else if (flag === '--context') a.context = value();
    else if (flag === '--fail-on') {
      const v = value();
      if (!(SEVERITIES as readonly string[]).includes(v)) throw new Error(`unknown severity ${JSON.stringify(v)}: want ${SEVERITIES.join(', ')}`);
      a.failOn = v as Severity;
    } else if (flag === '--explain') a.explain = value();
    else if (flag === '--audit-log') a.auditLogs.push(value());
    else if (flag === '--since') a.sinceMs = parseSince(value());
    else if (flag === '--generate-name') {
      a.generateName = value();
      // RBAC object names are path segments (ValidateRBACName).
      if (!a.generateName || ['.', '..'].includes(a.generateName) || /[/%]/.test(a.generateName)) throw new Error(`invalid --generate-name ${JSON.stringify(a.generateName)}: may not be empty, "." or "..", nor contain "/" or "%"`);
    }
    else if (flag === '--all') a.allGrants = true;
    else if (flag === '--before') a.before.push(value());
    else if (flag === '--after') a.after.push(value());
    else if (flag === '--fail-on-gain') a.failOnGain = true;
    else if (flag === '--expand-groups') a.expandGroups = true;
    else if (arg.startsWith('-') && arg !== '-') throw new Error(`unknown flag: ${arg}`);
    else a.positional.push(arg);
  }
  return a;
}

async function loadPolicy(a: Args): Promise<{ policy: AccessPolicy; namespace: string }> {
  if (a.files.length) {
    const namespace = a.namespace ?? 'default';
    return { policy: new AccessPolicy(loadFiles(a.files), { bootstrap: true, defaultNamespace: namespace }), namespace };
  }
  const target = loadKubeconfig(a.kubeconfig, a.context);
  const namespace = a.namespace ?? target.namespace;
  const { objects, unreadable, resources } = await loadLive(target, namespace);
  for (const u of unreadable) process.stderr.write(`warning: could not read ${u}; the answer may be incomplete\n`);
  if (unreadable.length >= ACCESS_LISTS.length && !objects.length) throw Object.assign(new Error(`could not read the cluster at ${target.server}`), { exitCode: 3 });
  return { policy: new AccessPolicy(objects, { resources }), namespace };
}

/**
 * The request a VERB RESOURCE [NAME] triple names, in `namespace` ('' for cluster-scoped resources
 * and URLs), RESOURCE resolved in `resources` (the policy's: a guess is warned about) or the built-in table.
 */
function requestOf(verb: string | undefined, resource: string | undefined, name: string | undefined, namespace: string, resources?: ResourceTable): Request {
  if (!verb || !resource) throw new Error('want VERB RESOURCE');
  if (resource.startsWith('/')) return { verb, isResourceRequest: false, path: resource, apiGroup: '', resource: '', subresource: '', namespace: '', name: '' };
  const q = parseResource(resource, resources);
  if (resources && q.warning) process.stderr.write(`warning: ${q.warning}\n`);
  return { verb, isResourceRequest: true, path: '', apiGroup: q.group, resource: q.resource, subresource: q.subresource, namespace: q.namespaced ? namespace : '', name: name ?? '' };
}

/**
 * `diff --before SRC --after SRC`: each side files (-f's syntax), `live`, or both: the live
 * objects with the files' in place of those of the same kind, namespace and name (as kubectl apply
 * leaves them). Files without a namespace get -n, the live context's namespace, or default.
 */
async function diffCommand(a: Args, rest: string[]): Promise<number> {
  const sides = [a.before, a.after] as const;
  const usage = rest.length
    ? `diff takes no arguments, got ${JSON.stringify(rest[0])}`
    : a.files.length
      ? 'diff reads --before and --after, not -f'
      : !a.before.length || !a.after.length
        ? 'diff needs --before and --after (FILE|DIR|- or live)'
        : sides.every((s) => s.includes('-'))
          ? 'stdin (-) can be read by one side only'
          : undefined;
  if (usage) {
    process.stderr.write(`error: ${usage}\n${ACCESS_USAGE}`);
    return 2;
  }
  const policies: AccessPolicy[] = [];
  try {
    // The live side first: its context's namespace is also the files' default.
    const live = sides.some((s) => s.includes('live')) ? await loadPolicy({ ...a, files: [] }) : undefined;
    for (const side of sides) {
      const files = side.filter((f) => f !== 'live');
      const namespace = a.namespace ?? live?.namespace ?? 'default';
      if (!side.includes('live')) policies.push((await loadPolicy({ ...a, files, namespace })).policy);
      else policies.push(files.length ? new AccessPolicy([...live!.policy.objects, ...loadFiles(files)], { defaultNamespace: namespace }) : live!.policy);
    }
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    return (err as { exitCode?: number }).exitCode ?? 3;
  }
  const diffs = diff(policies[0]!, policies[1]!, { expandGroups: a.expandGroups || a.output === 'wide' });
  print(a.output, diffs, () => diffTable(diffs));
  return a.failOnGain && gainsAny(diffs) ? 1 : 0;
}

const print = (output: string, value: unknown, text: () => string) => {
  if (output === 'json') process.stdout.write(JSON.stringify(value, null, 2) + '\n');
  else if (output === 'yaml') process.stdout.write(yaml().stringify(value));
  else process.stdout.write(text());
};

export async function accessCommand(argv: string[]): Promise<number> {
  let a: Args;
  try {
    a = parseArgs(argv);
    const formats = a.positional[0] === 'lint' ? ['', 'json', 'yaml', 'sarif'] : ['suggest', 'unused'].includes(a.positional[0]!) ? ['', 'json', 'yaml'] : ['', 'wide', 'json', 'yaml'];
    if (!formats.includes(a.output)) throw new Error(`unknown output format ${JSON.stringify(a.output)}: want ${formats.slice(1).join(', ')}`);
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n${ACCESS_USAGE}`);
    return 2;
  }
  const [command, ...rest] = a.positional;
  if (!command || command === 'help' || !['who-can', 'why', 'matrix', 'lint', 'suggest', 'unused', 'diff'].includes(command)) {
    process.stderr.write(ACCESS_USAGE);
    return command && command !== 'help' ? 2 : 0;
  }
  if (command === 'lint' && a.explain !== undefined) {
    const rule = LINT_RULES.find((r) => r.id === a.explain!.toUpperCase());
    if (!rule) {
      process.stderr.write(`error: no rule ${JSON.stringify(a.explain)}; the rules: ${LINT_RULES.map((r) => r.id).join(', ')}\n`);
      return 2;
    }
    process.stdout.write(explain(rule));
    return 0;
  }
  if (command === 'diff') return diffCommand(a, rest);
  let loaded;
  try {
    if (command === 'lint') {
      if (rest.length) throw new Error(`lint takes no arguments, got ${JSON.stringify(rest[0])}`);
    } else if (command === 'who-can') requestOf(rest[0], rest[1], rest[2], '');
    else if (command === 'why') (parseSubject(rest[0] ?? ''), requestOf(rest[1], rest[2], rest[3], ''));
    else if (command === 'suggest' || command === 'unused') auditSubject(rest, a);
    else parseSubject(rest[0] ?? '');
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n${ACCESS_USAGE}`);
    return 2;
  }
  if (command === 'suggest') return suggestCommand(a, rest[0]!);
  try {
    loaded = await loadPolicy(a);
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    return (err as { exitCode?: number }).exitCode ?? 3;
  }
  const { policy, namespace } = loaded;
  let request: Request | undefined;
  try {
    // Live, a resource the server does not have is an error, as kubectl says it.
    if (command === 'who-can') request = requestOf(rest[0], rest[1], rest[2], namespace, policy.resources);
    else if (command === 'why') request = requestOf(rest[1], rest[2], rest[3], namespace, policy.resources);
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    return 2;
  }
  if (command === 'lint') {
    const log = a.auditLogs.length ? await readLog(a) : undefined;
    if (a.auditLogs.length && !log) return 1;
    const { findings, warnings } = lint(policy, a.files.length ? 'the files given' : 'the cluster', log ? withAudit(LINT_RULES, log.uses) : LINT_RULES);
    for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
    if (a.output === 'sarif') process.stdout.write(JSON.stringify(sarif(findings, LINT_RULES), null, 2) + '\n');
    else print(a.output, findings, () => findingsTable(findings));
    return a.failOn && failsAt(findings, a.failOn) ? 1 : 0;
  }
  if (command === 'who-can') {
    const rows = whoCan(policy, { request: request!, namespace: a.all && request!.namespace ? undefined : request!.namespace });
    print(a.output, rows, () => whoCanTable(rows, a.output === 'wide'));
    return 0;
  }
  if (command === 'why') {
    const user = parseSubject(rest[0]!);
    const req = request!;
    const answer = why(policy, user, req);
    const what = req.isResourceRequest
      ? `${req.verb} ${describeResource({ ...req, group: req.apiGroup })}${req.name ? ` ${req.name}` : ''} ${req.namespace ? `in namespace ${req.namespace}` : '(cluster scope)'}`
      : `${req.verb} ${req.path}`;
    print(a.output, { subject: rest[0], user, request: req, ...answer }, () => whyText(rest[0]!, user, what, answer));
    return answer.allowed ? 0 : 1;
  }
  if (command === 'unused') {
    const user = auditSubject(rest, a);
    const read = await readLog(a, user.username);
    if (!read) return 1;
    if (!read.uses.length) process.stderr.write(`warning: no audit events matched ${rest[0]}: every grant is unused\n`);
    const rows = unused(policy, user, read.uses, { all: a.allGrants });
    print(a.output, rows, () => unusedTable(rows));
    return 0;
  }
  const user = parseSubject(rest[0]!);
  const rows = matrix(policy, user, namespace);
  print(a.output, { subject: rest[0], namespace, rows }, () => `${rest[0]} in namespace ${namespace} (cluster-scoped resources at cluster scope)\n` + matrixTable(rows, process.stdout.isTTY === true));
  return 0;
}

/** suggest's and unused's SUBJECT: a user or ServiceAccount (audit events name users), and at least one --audit-log. */
function auditSubject(rest: string[], a: Args): UserInfo {
  if (rest.length !== 1) throw new Error('want one SUBJECT');
  const user = parseSubject(rest[0]!);
  if (!user.username) throw new Error('audit events name users: want system:serviceaccount:NS:NAME or user:NAME');
  if (!a.auditLogs.length) throw new Error('want --audit-log FILE|DIR|-');
  return user;
}

/** The requests of `username` (of everybody without one) in the audit logs (warnings on stderr), or undefined (said on stderr) when they cannot be read. */
async function readLog(a: Args, username?: string): Promise<AuditRead | undefined> {
  try {
    const read = await readAuditLog(a.auditLogs, { username, sinceMs: a.sinceMs, ...(a.positional[0] === 'suggest' && a.namespace !== undefined ? { namespace: a.namespace } : {}) });
    for (const w of read.warnings) process.stderr.write(`warning: ${w}\n`);
    return read;
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    return undefined;
  }
}

async function suggestCommand(a: Args, subject: string): Promise<number> {
  const user = parseSubject(subject);
  const read = await readLog(a, user.username);
  if (!read) return 1;
  if (!read.uses.length) {
    process.stderr.write(`No audit events matched ${subject}\n`);
    return 1;
  }
  const may = everyoneMay(user);
  const uses = a.allGrants ? read.uses : read.uses.filter((u) => !may(u.request));
  if (uses.length < read.uses.length) process.stderr.write(`${read.uses.length - uses.length} of ${read.uses.length} requests left out: every authenticated user may make them (discovery, /version, …; --all keeps them)\n`);
  if (!uses.length) {
    process.stderr.write('nothing to grant\n');
    return 0;
  }
  let suggested;
  try {
    suggested = suggest(user, uses, a.generateName);
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    return 1;
  }
  const objects = suggested.map((s) => s.object);
  print(a.output, { apiVersion: 'v1', kind: 'List', items: objects }, () => suggestionYaml(suggested));
  return 0;
}
