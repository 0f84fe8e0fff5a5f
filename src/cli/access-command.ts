// `badge access who-can|why|matrix …` (also the kubectl plugin `kubectl access …`): the access
// analysis over the live cluster (the kubeconfig's) or over manifest files (-f, repeatable).
import { yaml } from '../api/yaml.js';
import { AccessPolicy, parseSubject, type Request } from '../access/policy.js';
import { loadFiles } from '../access/load-files.js';
import { LIST_COUNT, loadKubeconfig, loadLive } from '../access/live-source.js';
import { describeResource, parseResource } from '../access/resources.js';
import { whoCan } from '../access/who-can.js';
import { why } from '../access/why.js';
import { matrix } from '../access/matrix.js';
import { diffTable, matrixTable, whoCanTable, whyText } from '../access/print.js';
import { diff, gainsAny } from '../access/diff.js';
import { failsAt, lint, LINT_RULES } from '../access/lint/lint.js';
import { explain, findingsTable, sarif } from '../access/lint/report.js';
import { SEVERITIES, type Severity } from '../access/lint/types.js';

export const ACCESS_USAGE = `Usage:
  access who-can VERB RESOURCE[/SUBRESOURCE] [NAME] [-n NS | -A]   every subject allowed, with binding → role → rule
  access who-can VERB /URL                                         for a non-resource URL
  access why SUBJECT VERB RESOURCE[/SUBRESOURCE] [NAME] [-n NS]    allowed or denied, and why (exit 0 allowed, 1 denied)
  access matrix SUBJECT [-n NS]                                    resources × verbs for one subject
  access lint [--fail-on SEVERITY]                                 risky grants and ServiceAccount use, by rule (exit 1 at or above SEVERITY)
  access lint --explain ID                                         what a rule checks and how to fix it
  access diff --before SRC --after SRC [--fail-on-gain]            permissions each subject gains (+) and loses (-)
SUBJECT: system:serviceaccount:NS:NAME, user:NAME or group:NAME. RESOURCE: pods, deployments.apps, deploy, …
Flags:
  -f, --filename FILE|DIR|-   read manifests (repeatable; Kubernetes' bootstrap roles are added) instead of the cluster
  -n, --namespace NS          namespace (default: the kubeconfig context's, or "default" with -f)
  -A, --all-namespaces        who-can: RoleBindings of every namespace
  -o, --output FORMAT         wide, json or yaml (lint: json, yaml or sarif)
  --fail-on SEVERITY          lint: crit, high, med, low or info
  --explain ID                lint: print rule ID's description and fix
  --before, --after SRC       diff: the two sides, each FILE|DIR|- (repeatable), live (the kubeconfig's cluster), or live
                              and files (the cluster as kubectl apply -f FILES would leave it); -o wide (or --expand-groups)
                              adds what each ServiceAccount gains or loses through its groups
  --fail-on-gain              diff: exit 1 when any subject gains a permission
  --kubeconfig FILE, --context NAME
Lint findings are suppressed by the annotation badge.dev/ignore-ID: "REASON" on the object.
Exit codes: 0 done (why: allowed), 1 why: denied, lint: a finding at or above --fail-on, diff: a gain with --fail-on-gain, 2 usage error, 3 the cluster could not be read at all.
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
  before: string[];
  after: string[];
  failOnGain: boolean;
  expandGroups: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { positional: [], files: [], all: false, output: '', before: [], after: [], failOnGain: false, expandGroups: false };
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
  const { objects, unreadable } = await loadLive(target, namespace);
  for (const u of unreadable) process.stderr.write(`warning: could not read ${u}; the answer may be incomplete\n`);
  if (unreadable.length === LIST_COUNT && !objects.length) throw Object.assign(new Error(`could not read the cluster at ${target.server}`), { exitCode: 3 });
  return { policy: new AccessPolicy(objects), namespace };
}

/** The request a VERB RESOURCE [NAME] triple names, in `namespace` ('' for cluster-scoped resources and URLs). */
function requestOf(verb: string | undefined, resource: string | undefined, name: string | undefined, namespace: string): Request {
  if (!verb || !resource) throw new Error('want VERB RESOURCE');
  if (resource.startsWith('/')) return { verb, isResourceRequest: false, path: resource, apiGroup: '', resource: '', subresource: '', namespace: '', name: '' };
  const q = parseResource(resource);
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
    const formats = a.positional[0] === 'lint' ? ['', 'json', 'yaml', 'sarif'] : ['', 'wide', 'json', 'yaml'];
    if (!formats.includes(a.output)) throw new Error(`unknown output format ${JSON.stringify(a.output)}: want ${formats.slice(1).join(', ')}`);
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n${ACCESS_USAGE}`);
    return 2;
  }
  const [command, ...rest] = a.positional;
  if (!command || command === 'help' || !['who-can', 'why', 'matrix', 'lint', 'diff'].includes(command)) {
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
    else parseSubject(rest[0] ?? '');
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n${ACCESS_USAGE}`);
    return 2;
  }
  try {
    loaded = await loadPolicy(a);
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    return (err as { exitCode?: number }).exitCode ?? 3;
  }
  const { policy, namespace } = loaded;
  if (command === 'lint') {
    const { findings, warnings } = lint(policy, a.files.length ? 'the files given' : 'the cluster');
    for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
    if (a.output === 'sarif') process.stdout.write(JSON.stringify(sarif(findings, LINT_RULES), null, 2) + '\n');
    else print(a.output, findings, () => findingsTable(findings));
    return a.failOn && failsAt(findings, a.failOn) ? 1 : 0;
  }
  if (command === 'who-can') {
    const request = requestOf(rest[0], rest[1], rest[2], namespace);
    const rows = whoCan(policy, { request, namespace: a.all && request.namespace ? undefined : request.namespace });
    print(a.output, rows, () => whoCanTable(rows, a.output === 'wide'));
    return 0;
  }
  if (command === 'why') {
    const user = parseSubject(rest[0]!);
    const req = requestOf(rest[1], rest[2], rest[3], namespace);
    const answer = why(policy, user, req);
    const what = req.isResourceRequest
      ? `${req.verb} ${describeResource({ ...req, group: req.apiGroup })}${req.name ? ` ${req.name}` : ''} ${req.namespace ? `in namespace ${req.namespace}` : '(cluster scope)'}`
      : `${req.verb} ${req.path}`;
    print(a.output, { subject: rest[0], user, request: req, ...answer }, () => whyText(rest[0]!, user, what, answer));
    return answer.allowed ? 0 : 1;
  }
  const user = parseSubject(rest[0]!);
  const rows = matrix(policy, user, namespace);
  print(a.output, { subject: rest[0], namespace, rows }, () => `${rest[0]} in namespace ${namespace} (cluster-scoped resources at cluster scope)\n` + matrixTable(rows, process.stdout.isTTY === true));
  return 0;
}
