// ValidatingAdmissionPolicy admission (k8s.io/apiserver pkg/admission/plugin/policy/validating, generic):
// every write of every resource (admissionregistration's own configuration excepted) is matched against the
// policies and their bindings read from shared informers; each matching (policy, binding, param) is evaluated
// (validating-policy-evaluation.ts), and its failures are enforced by the binding's validationActions: Deny
// rejects the request, Warn adds a Warning header, Audit records the validation_failure audit annotation.
import type { Namespace } from '../api/kinds.js';
import type { ApiError } from '../api/errors.js';
import type { Authorizer } from '../auth/authz/authorizer.js';
import { untyped } from '../cel/values.js';
import { R, ref, type Client, type ServedResource } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import type { SharedInformer } from '../client/informer.js';
import { annotate, type AdmissionAttributes, type AdmissionPlugin } from './chain.js';
import { compilePolicy, type CompiledPolicy } from './validating-policy-compile.js';
import { validatePolicy, type EvaluationInput } from './validating-policy-evaluation.js';
import { matchResources, type MatchContext, type MatchedResource } from './validating-policy-matching.js';
import { configurationDenial, denial, MAX_AUDIT_VALUE_LENGTH, VALIDATION_FAILURE_ANNOTATION, validationFailureValue, warningText } from './validating-policy-messages.js';
import { collectParams, ParamError, type ParamLookup } from './validating-policy-params.js';
import { celAuthorizer, requestValue, namespaceValue } from './validating-policy-request.js';
import type { Binding, Policy } from './validating-policy-types.js';

const GROUP = 'admissionregistration.k8s.io';
export const POLICIES = ref<Policy>(GROUP, 'v1', 'validatingadmissionpolicies');
export const BINDINGS = ref<Binding>(GROUP, 'v1', 'validatingadmissionpolicybindings');
/** IsExemptAdmissionConfigurationResource: policies never apply to admission configuration. */
const EXEMPT = new Set(['validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'validatingwebhookconfigurations', 'mutatingwebhookconfigurations', 'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings']);

export interface ValidatingPolicyOptions {
  /** Answers the `authorizer` variable's checks. */
  authorizer: Authorizer;
  /** The served resources (param kinds, equivalent versions). */
  served: () => ServedResource[];
  /** Writes status.typeChecking. */
  client: Client;
}

export interface ValidatingPolicyPlugin extends AdmissionPlugin {
  /** Starts reading policies, bindings, namespaces and params through the shared informers. */
  start(informers: InformerFactory): Promise<void>;
}

interface Informers {
  factory: InformerFactory;
  policies: SharedInformer<Policy>;
  bindings: SharedInformer<Binding>;
  namespaces: SharedInformer<Namespace>;
}

export function validatingAdmissionPolicy(opts: ValidatingPolicyOptions): ValidatingPolicyPlugin {
  let inf: Informers | undefined;
  const compiled = new WeakMap<Policy, CompiledPolicy>();
  const compiledOf = (p: Policy) => {
    let c = compiled.get(p);
    if (!c) compiled.set(p, (c = compilePolicy(p.spec ?? {})));
    return c;
  };

  const paramLookup: ParamLookup = (apiVersion, kind) => {
    const served = opts.served().find((s) => (s.group ? `${s.group}/${s.version}` : s.version) === apiVersion && s.kind === kind);
    if (!served || !inf) return undefined;
    const informer = inf.factory.forResource(served);
    informer.start();
    return { served, informer };
  };

  /** The CEL values every policy of this request sees (computed once, when a policy matches). */
  function inputsFor(a: AdmissionAttributes) {
    let base: { object: unknown; oldObject: unknown; namespaceObject: unknown } | undefined;
    return (matched: MatchedResource): Record<string, unknown> => {
      base ??= {
        object: a.object ? untyped(a.object) : null,
        oldObject: a.oldObject ? untyped(a.oldObject) : null,
        namespaceObject: a.namespace && !(a.resource.group === '' && a.resource.resource === 'namespaces') ? namespaceValue(namespaceOf(a.namespace)) : null,
      };
      const converted = matched.version === a.resource.version ? base : { ...base, ...convertedObjects(base, matched) };
      return { ...converted, request: requestValue(a, matched) };
    };
  }

  /** An equivalent version's objects: the same fields under that apiVersion (CRDs convert with strategy None). */
  function convertedObjects(base: { object: unknown; oldObject: unknown }, m: MatchedResource) {
    const apiVersion = m.group ? `${m.group}/${m.version}` : m.version;
    const conv = (o: unknown) => (o && typeof o === 'object' ? Object.assign(Object.create(null), o, { apiVersion }) : o);
    return { object: conv(base.object), oldObject: conv(base.oldObject) };
  }

  function namespaceOf(name: string): Namespace | undefined {
    return inf?.namespaces.get('', name);
  }

  async function validate(a: AdmissionAttributes): Promise<void> {
    if (!inf || (a.resource.group === GROUP && EXEMPT.has(a.resource.resource))) return;
    const policies = inf.policies.list().sort((x, y) => (x.metadata.name! < y.metadata.name! ? -1 : 1));
    if (!policies.length) return;
    const bindingsOf = new Map<string, Binding[]>();
    for (const b of inf.bindings.list().sort((x, y) => (x.metadata.name! < y.metadata.name! ? -1 : 1))) {
      const name = b.spec?.policyName ?? '';
      bindingsOf.set(name, [...(bindingsOf.get(name) ?? []), b]);
    }
    const requested = { group: a.resource.group, version: a.resource.version ?? '', resource: a.resource.resource };
    const ctx: MatchContext = {
      a,
      requested,
      otherVersions: opts.served().filter((s) => s.group === requested.group && s.resource === requested.resource && s.version !== requested.version).map((s) => s.version),
      namespaceLabels: () => namespaceOf(a.namespace)?.metadata.labels,
    };
    const values = inputsFor(a);
    const denied: ApiError[] = [];
    const configErrors: ApiError[] = [];
    for (const policy of policies) {
      const spec = policy.spec ?? {};
      const bindings = bindingsOf.get(policy.metadata.name!) ?? [];
      if (!bindings.length || !spec.matchConstraints) continue;
      const matched = matchResources(spec.matchConstraints, ctx, true);
      if (!matched) continue;
      const program = compiledOf(policy);
      const collected = new Map<string, string[]>();
      for (const binding of bindings) {
        const bspec = binding.spec ?? {};
        if (bspec.matchResources && !matchResources(bspec.matchResources, ctx, false)) continue;
        const configError = (message: string) => {
          if (spec.failurePolicy !== 'Ignore') configErrors.push(configurationDenial(a, policy.metadata.name!, binding.metadata.name!, message));
        };
        let params;
        try {
          params = await collectParams(spec, bspec.paramRef, a.namespace, paramLookup);
        } catch (e) {
          if (!(e instanceof ParamError)) throw e;
          configError(e.message);
          continue;
        }
        for (const param of params) {
          const input: EvaluationInput = {
            vars: { ...values(matched), ...(spec.paramKind ? { params: param ? untyped(param) : null } : {}) },
            authorize: celAuthorizer(opts.authorizer, a),
            requestResource: { group: a.resource.group, resource: a.resource.resource, subresource: a.subresource, namespace: a.namespace, name: a.name },
          };
          const result = await validatePolicy(spec, program, input);
          const actions = bspec.validationActions ?? [];
          for (const d of result.decisions) {
            if (d.action !== 'deny') continue;
            if (actions.includes('Deny')) denied.push(denial(a, policy.metadata.name!, binding.metadata.name!, d.message, d.reason));
            if (actions.includes('Warn')) a.ctx.warnings?.push(warningText(policy.metadata.name!, binding.metadata.name!, d.message));
            if (actions.includes('Audit')) annotate(a, VALIDATION_FAILURE_ANNOTATION, validationFailureValue(policy.metadata.name!, binding.metadata.name!, actions, d.index, d.message));
          }
          for (const an of result.auditAnnotations) {
            if (an.action === 'publish') {
              const list = collected.get(an.key) ?? [];
              const value = an.value!.slice(0, MAX_AUDIT_VALUE_LENGTH);
              if (!list.includes(value)) collected.set(an.key, [...list, value]);
            } else if (an.action === 'error') denied.push(denial(a, policy.metadata.name!, binding.metadata.name!, an.error!));
          }
        }
      }
      for (const [key, list] of collected) annotate(a, `${policy.metadata.name}/${key}`, list.join(', '));
    }
    if (denied.length) throw denied[0];
    if (configErrors.length) throw configErrors[0];
  }

  /** Type checking (advisory): Badge declares objects dyn, so it reports no warnings; it records the generation seen. */
  function observe(p: Policy): void {
    const generation = p.metadata.generation ?? 0;
    if ((p.status as { observedGeneration?: number } | undefined)?.observedGeneration === generation) return;
    void opts.client
      .mutate(POLICIES, '', p.metadata.name!, (cur) => {
        if ((cur.metadata.generation ?? 0) === generation) cur.status = { ...(cur.status as object), observedGeneration: generation, typeChecking: {} };
        return cur;
      }, 'status')
      .catch(() => {});
  }

  return {
    name: 'ValidatingAdmissionPolicy',
    validate,
    async start(factory) {
      const policies = factory.forResource(POLICIES);
      const bindings = factory.forResource(BINDINGS);
      const namespaces = factory.forResource(R.namespaces);
      for (const i of [policies, bindings, namespaces]) i.start();
      await Promise.all([policies.waitForSync(), bindings.waitForSync(), namespaces.waitForSync()]);
      policies.on({ add: observe, update: (_old, p) => observe(p) });
      inf = { factory, policies, bindings, namespaces };
    },
  };
}
