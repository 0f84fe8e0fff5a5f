// The SA* rules: ServiceAccounts, the pods and workloads that run as them, and their tokens (a
// pod's effective token mount is the engine's: pod › ServiceAccount › true, or a projected token).
import type { ServiceAccount } from '../../api/kinds.js';
import { LAST_USED_LABEL, SECRET_TYPE_SERVICE_ACCOUNT_TOKEN, SERVICE_ACCOUNT_NAME_KEY } from '../../api/well-known.js';
import { saUsername } from '../../auth/tokens/claims.js';
import { serviceAccountUser, tokenMounted } from '../policy.js';
import { bindingText, objectText, roleText, type LintContext, type Workload } from './context.js';
import { refOf, type LintRule, type RawFinding } from './types.js';

const runsAs = (w: Workload) => `${objectText(w.object)} → ServiceAccount ${w.object.metadata.namespace}/${w.serviceAccount}`;

/** The bindings given that name the ServiceAccount itself (by ServiceAccount or User subject; groups are RB013's). */
const bindingsOf = (ctx: LintContext, namespace: string, name: string) => ctx.boundTo().get(saUsername(namespace, name)) ?? [];

export const SA001: LintRule = {
  id: 'SA001',
  name: 'default-sa-with-api-access',
  severity: 'high',
  description: 'A pod or workload runs as its namespace\'s default ServiceAccount with the token mounted (pod › ServiceAccount › true): high when bindings name that default ServiceAccount, med when none do. Not reported when no token is mounted.',
  fix: 'Give the workload its own ServiceAccount; set automountServiceAccountToken: false on the default ServiceAccount (or the pod) when it does not call the API.',
  check(ctx) {
    const out: RawFinding[] = [];
    for (const w of ctx.workloads()) {
      if (w.serviceAccount !== 'default') continue;
      const ns = w.object.metadata.namespace!;
      if (!tokenMounted({ metadata: w.object.metadata, spec: w.spec }, ctx.policy.serviceAccount(ns, 'default'))) continue;
      const bound = bindingsOf(ctx, ns, 'default');
      out.push({
        severity: bound.length ? 'high' : 'med',
        object: refOf(w.object),
        message: `runs as ${ns}/default with its token mounted${bound.length ? `, and ${bound.length} binding(s) grant that ServiceAccount access` : ''}`,
        provenance: [runsAs(w), ...bound.map((b) => `${bindingText(b.binding)} → ${roleText(b.binding)}`)],
      });
    }
    return out;
  },
};

export const SA002: LintRule = {
  id: 'SA002',
  name: 'automount-not-needed',
  severity: 'low',
  description: 'A pod or workload gets the token of its ServiceAccount (pod › ServiceAccount › true, namespace and name joined) although no binding given grants that ServiceAccount anything, directly or through its groups: beyond discovery it cannot use it. With --audit-log instead: a mounted token that no request in the window used from a pod (user.extra pod-name, a bare pod by its name), whatever its grants.',
  fix: 'Set automountServiceAccountToken: false on the pod or the ServiceAccount.',
  check(ctx) {
    const out: RawFinding[] = [];
    for (const w of ctx.workloads()) {
      const ns = w.object.metadata.namespace!;
      // The default ServiceAccount is SA001's.
      if (w.serviceAccount === 'default' || !tokenMounted({ metadata: w.object.metadata, spec: w.spec }, ctx.policy.serviceAccount(ns, w.serviceAccount))) continue;
      const user = serviceAccountUser(ns, w.serviceAccount);
      if ([user.username, ...user.groups.map((g) => `group:${g}`)].some((k) => ctx.boundTo().has(k))) continue;
      out.push({ severity: 'low', object: refOf(w.object), message: `mounts the token of ${ns}/${w.serviceAccount}, which no binding given grants anything`, provenance: [runsAs(w)] });
    }
    return out;
  },
};

/** Kinds that own their pods at the top (a ReplicaSet or Job with an owner read is counted through it). */
const OWNERS = ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job', 'ReplicaSet', 'ReplicationController', 'Pod'];

export const SA003: LintRule = {
  id: 'SA003',
  name: 'sa-shared-by-workloads',
  severity: 'med',
  description: 'More than one top-level owner (Deployment, StatefulSet, DaemonSet, CronJob, bare Job, ReplicaSet or Pod) runs as the same ServiceAccount, so each gets the permissions all of them need; pods whose controller was not read count once, as that controller. The default ServiceAccount is SA001\'s.',
  fix: 'Give each workload its own ServiceAccount and bind each only what it needs.',
  check(ctx) {
    const users = new Map<string, Map<string, Workload[]>>();
    for (const w of ctx.workloads()) {
      if (w.serviceAccount === 'default' || !OWNERS.includes(w.object.kind ?? '')) continue;
      const key = `${w.object.metadata.namespace}/${w.serviceAccount}`;
      const owners = users.get(key) ?? users.set(key, new Map()).get(key)!;
      owners.set(w.owner, [...(owners.get(w.owner) ?? []), w]);
    }
    return [...users]
      .filter(([, owners]) => owners.size > 1)
      .map(([key, owners]) => {
        const [namespace, name] = key.split('/') as [string, string];
        return { severity: 'med' as const, object: { kind: 'ServiceAccount', namespace, name }, message: `used by ${owners.size} workloads: ${[...owners.keys()].join(', ')}`, provenance: [...owners.values()].flat().map(runsAs) };
      });
  },
};

export const SA004: LintRule = {
  id: 'SA004',
  name: 'sa-not-found',
  severity: 'high',
  description: 'A pod or workload names a ServiceAccount that is not there (looked up by namespace and name; the default ServiceAccount always exists): its pods are not created.',
  fix: 'Create the ServiceAccount in the same namespace, or fix serviceAccountName.',
  check: (ctx) =>
    ctx
      .workloads()
      .filter((w) => w.serviceAccount !== 'default' && !ctx.policy.serviceAccount(w.object.metadata.namespace!, w.serviceAccount))
      .map((w) => ({ severity: 'high' as const, object: refOf(w.object), message: `ServiceAccount ${w.object.metadata.namespace}/${w.serviceAccount} is not in ${ctx.source}`, provenance: [runsAs(w)] })),
};

export const SA005: LintRule = {
  id: 'SA005',
  name: 'sa-deprecated-field',
  severity: 'low',
  description: 'spec.serviceAccount (deprecated) is set without spec.serviceAccountName, or differs from it. (The API server copies serviceAccountName into serviceAccount on every pod: the two equal is not a finding, or every live pod would be one.)',
  fix: 'Use serviceAccountName only.',
  check: (ctx) =>
    ctx
      .workloads()
      .filter((w) => w.spec.serviceAccount && w.spec.serviceAccount !== w.spec.serviceAccountName)
      .map((w) => {
        const differs = !!w.spec.serviceAccountName;
        return { severity: 'low' as const, object: refOf(w.object), message: differs ? `serviceAccount ${JSON.stringify(w.spec.serviceAccount)} differs from serviceAccountName ${JSON.stringify(w.spec.serviceAccountName)}` : `uses the deprecated field serviceAccount`, provenance: [runsAs(w)] };
      }),
};

export const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
export const OWNER_LABEL = 'owner';

export const SA006: LintRule = {
  id: 'SA006',
  name: 'sa-undocumented',
  severity: 'info',
  description: `A ServiceAccount (not default, not in kube-* namespaces) has neither a ${DESCRIPTION_ANNOTATION} annotation nor an ${OWNER_LABEL} label.`,
  fix: `Say what it is for in a ${DESCRIPTION_ANNOTATION} annotation, or who owns it in an ${OWNER_LABEL} label.`,
  check: (ctx) =>
    ctx
      .ofKind('ServiceAccount')
      .filter((sa) => sa.metadata.name !== 'default' && !sa.metadata.namespace?.startsWith('kube-') && !sa.metadata.annotations?.[DESCRIPTION_ANNOTATION] && !sa.metadata.labels?.[OWNER_LABEL])
      .map((sa) => ({ severity: 'info' as const, object: refOf(sa), message: `no ${DESCRIPTION_ANNOTATION} annotation and no ${OWNER_LABEL} label`, provenance: [objectText(sa)] })),
};


export const SA007: LintRule = {
  id: 'SA007',
  name: 'legacy-sa-token-secret',
  severity: 'med',
  description: `A Secret of type ${SECRET_TYPE_SERVICE_ACCOUNT_TOKEN} (a token that never expires), or a ServiceAccount's secrets[] naming one: high when its ServiceAccount is privileged (by the engine). With --audit-log, whether each was used in the window (the legacy-token annotations), and legacy tokens used whose Secret is not given.`,
  fix: `Use short-lived tokens (TokenRequest: kubectl create token, projected volumes). If ${LAST_USED_LABEL} shows it unused, delete the Secret; if an external system needs it, move that system to TokenRequest first.`,
  check(ctx) {
    const privileged = ctx.privilegedServiceAccounts();
    const out: RawFinding[] = [];
    const tokenSecrets = ctx.ofKind('Secret').filter((s) => s.type === SECRET_TYPE_SERVICE_ACCOUNT_TOKEN);
    for (const s of tokenSecrets) {
      const ns = s.metadata.namespace!;
      const sa = s.metadata.annotations?.[SERVICE_ACCOUNT_NAME_KEY] ?? '';
      const why = privileged.get(`${ns}/${sa}`);
      const used = s.metadata.labels?.[LAST_USED_LABEL];
      out.push({
        severity: why ? 'high' : 'med',
        object: refOf(s),
        message: `legacy token Secret for ServiceAccount ${ns}/${sa}${why ? ` (which ${why})` : ''}; ${used ? `last used ${used}` : 'no last-used label'}`,
        provenance: [`${objectText(s)} → ServiceAccount ${ns}/${sa}`],
      });
    }
    for (const sa of ctx.ofKind('ServiceAccount') as ServiceAccount[]) {
      const ns = sa.metadata.namespace!;
      for (const ref of sa.secrets ?? []) {
        const secret = tokenSecrets.find((s) => s.metadata.namespace === ns && s.metadata.name === ref.name);
        // A listed Secret not given here counts when it bears the legacy token controller's name.
        if (secret || (!ctx.objects.some((o) => o.kind === 'Secret' && o.metadata.namespace === ns && o.metadata.name === ref.name) && ref.name?.startsWith(`${sa.metadata.name}-token-`))) {
          out.push({ severity: privileged.has(`${ns}/${sa.metadata.name}`) ? 'high' : 'med', object: refOf(sa), message: `secrets[] lists the token Secret ${ref.name}`, provenance: [`${objectText(sa)} → Secret ${ns}/${ref.name}`] });
        }
      }
    }
    return out;
  },
};

/** Above this, a projected token is long-lived (the default 3607 s, extended by the server, is not flagged). */
export const LONG_LIVED_SECONDS = 86400;

export const SA008: LintRule = {
  id: 'SA008',
  name: 'long-lived-projected-token',
  severity: 'low',
  description: `A projected serviceAccountToken volume asks for expirationSeconds above ${LONG_LIVED_SECONDS} (the server caps it with --service-account-max-token-expiration). With --audit-log also tokens used past their warning threshold (stale-token) and TokenRequests for more than that.`,
  fix: 'Leave expirationSeconds at its default (the kubelet refreshes the token) or ask for an hour.',
  check(ctx) {
    const out: RawFinding[] = [];
    for (const w of ctx.workloads()) {
      for (const v of w.spec.volumes ?? []) {
        for (const src of v.projected?.sources ?? []) {
          const seconds = src.serviceAccountToken?.expirationSeconds;
          if (seconds && seconds > LONG_LIVED_SECONDS) out.push({ severity: 'low', object: refOf(w.object), message: `volume ${v.name} asks for a token valid ${seconds} s`, provenance: [runsAs(w)] });
        }
      }
    }
    return out;
  },
};

export const SA_RULES: readonly LintRule[] = [SA001, SA002, SA003, SA004, SA005, SA006, SA007, SA008];
