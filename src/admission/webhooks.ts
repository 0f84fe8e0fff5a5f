// MutatingAdmissionWebhook and ValidatingAdmissionWebhook (k8s.io/apiserver pkg/admission/plugin/webhook:
// generic/webhook.go ShouldCallHook, mutating/dispatcher.go, validating/dispatcher.go). The configurations come
// from shared informers, sorted by name, their webhooks in order. A webhook is called for a request its rules
// select (matchPolicy Equivalent also through another served version), its namespaceSelector (a Namespace's own
// labels; cluster-scoped objects always pass) and objectSelector (the new or the old object) pass, and its
// matchConditions hold. Mutating webhooks are called one after the other and their JSON patches applied; those
// with reinvocationPolicy IfNeeded are called once more when a later webhook changed the object. Validating
// webhooks are called all at once. Admission configuration objects are never sent to webhooks.
import { connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { ApiError, forbidden, internalError } from '../api/errors.js';
import { dialError } from '../api/go-net.js';
import type { Namespace } from '../api/kinds.js';
import type { KubeObject } from '../api/meta.js';
import type { Authorizer } from '../auth/authz/authorizer.js';
import { untyped } from '../cel/values.js';
import { R, ref, type ServedResource } from '../client/client.js';
import type { ServiceDialer } from '../client/service-dial.js';
import type { InformerFactory } from '../client/informer-factory.js';
import type { SharedInformer } from '../client/informer.js';
import { annotate, type AdmissionAttributes, type AdmissionPlugin } from './chain.js';
import { compileMatchConditions, type CompiledExpression } from './validating-policy-compile.js';
import { evaluateMatchConditions } from './validating-policy-evaluation.js';
import { matchResources, type MatchContext, type MatchedResource } from './validating-policy-matching.js';
import { celAuthorizer, requestValue } from './validating-policy-request.js';
import { postReview, WebhookCallError, type CallTarget } from './webhook-call.js';
import { buildReview, denial, dryRunUnsupported, NO_KNOWN_VERSION, reviewVersion, verifyResponse, type ReviewResult } from './webhook-review.js';
import type { Webhook, WebhookClientConfig, WebhookConfiguration } from './webhook-types.js';

const GROUP = 'admissionregistration.k8s.io';
export const VALIDATING_WEBHOOKS = ref<WebhookConfiguration>(GROUP, 'v1', 'validatingwebhookconfigurations');
export const MUTATING_WEBHOOKS = ref<WebhookConfiguration>(GROUP, 'v1', 'mutatingwebhookconfigurations');
/** IsExemptAdmissionConfigurationResource. */
const EXEMPT = new Set(['validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'validatingwebhookconfigurations', 'mutatingwebhookconfigurations', 'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings']);

export interface WebhookOptions {
  /** Answers the match conditions' `authorizer` checks. */
  authorizer: Authorizer;
  /** The served resources (Equivalent versions). */
  served: () => ServedResource[];
  /** Reaches a Service's endpoint (client/service-dial.ts). */
  serviceDial: ServiceDialer;
  /** RFC 6902 as kube-apiserver applies it (server/patch/json-patch.ts). */
  applyJsonPatch: (doc: unknown, patch: unknown) => unknown;
}

export interface WebhookPlugin extends AdmissionPlugin {
  /** Starts reading the configurations and namespaces through the shared informers. */
  start(informers: InformerFactory): Promise<void>;
}

/** One webhook of a configuration, at its place in the sorted list. */
interface Entry {
  configuration: string;
  hook: Webhook;
  index: number;
  conditions: CompiledExpression[];
}

/** ErrCallingWebhook: a failure to reach or understand a webhook, which failurePolicy Ignore lets pass. */
class CallingWebhookError extends Error {
  constructor(webhook: string, reason: string) {
    super(`failed calling webhook ${JSON.stringify(webhook)}: ${reason}`);
  }
}

function webhookDispatcher(opts: WebhookOptions, configs: typeof VALIDATING_WEBHOOKS, mutating: boolean) {
  let configurations: SharedInformer<WebhookConfiguration> | undefined;
  let namespaces: SharedInformer<Namespace> | undefined;
  const compiled = new WeakMap<Webhook, CompiledExpression[]>();

  function entries(): Entry[] {
    const out: Entry[] = [];
    const sorted = (configurations?.list() ?? []).slice().sort((x, y) => (x.metadata.name! < y.metadata.name! ? -1 : 1));
    for (const c of sorted) {
      for (const hook of c.webhooks ?? []) {
        let conditions = compiled.get(hook);
        if (!conditions) compiled.set(hook, (conditions = compileMatchConditions(hook.matchConditions ?? [], false, 'matchConditions')));
        out.push({ configuration: c.metadata.name!, hook, index: out.length, conditions });
      }
    }
    return out;
  }

  function matchContext(a: AdmissionAttributes): MatchContext {
    const requested = { group: a.resource.group, version: a.resource.version ?? '', resource: a.resource.resource };
    return {
      a,
      requested,
      otherVersions: opts.served().filter((s) => s.group === requested.group && s.resource === requested.resource && s.version !== requested.version).map((s) => s.version),
      namespaceLabels: () => namespaces?.get('', a.namespace)?.metadata.labels,
    };
  }

  /** ShouldCallHook: the resource the webhook sees the request as, or undefined; a failing match condition under Fail is Forbidden. */
  async function shouldCall(e: Entry, a: AdmissionAttributes, ctx: MatchContext): Promise<MatchedResource | undefined> {
    const h = e.hook;
    const matched = matchResources({ resourceRules: h.rules ?? [], namespaceSelector: h.namespaceSelector, objectSelector: h.objectSelector, matchPolicy: h.matchPolicy }, ctx, true);
    if (!matched || !e.conditions.length) return matched;
    const vars = { object: a.object ? untyped(a.object) : null, oldObject: a.oldObject ? untyped(a.oldObject) : null, request: requestValue(a, matched), namespaceObject: null };
    const requestResource = { group: a.resource.group, resource: a.resource.resource, subresource: a.subresource, namespace: a.namespace, name: a.name };
    const result = await evaluateMatchConditions(e.conditions, { vars, authorize: celAuthorizer(opts.authorizer, a), requestResource });
    if (result === true) return matched;
    if (result === false || h.failurePolicy === 'Ignore') return undefined;
    throw forbidden(a.resource, a.name, result.error);
  }

  function target(cc: WebhookClientConfig): CallTarget {
    const ca = cc.caBundle ? Buffer.from(cc.caBundle, 'base64').toString() : undefined;
    if (cc.url !== undefined) {
      const u = new URL(cc.url);
      const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
      return { url: cc.url, servername: host, ca, dial: () => dialTcp(host, Number(u.port || 443)) };
    }
    const s = cc.service ?? {};
    const port = s.port ?? 443;
    const host = `${s.name}.${s.namespace}.svc`;
    return { url: `https://${host}:${port}${s.path ?? ''}`, servername: host, ca, dial: () => opts.serviceDial(s.namespace ?? '', s.name ?? '', port) };
  }

  /** callHook: the verified answer; CallingWebhookError when it could not be had, ApiError when the request must fail anyway. */
  async function call(e: Entry, a: AdmissionAttributes, matched: MatchedResource): Promise<ReviewResult> {
    const h = e.hook;
    const name = h.name ?? '';
    if (a.dryRun && h.sideEffects !== 'None' && h.sideEffects !== 'NoneOnDryRun') throw dryRunUnsupported(name);
    const version = reviewVersion(h.admissionReviewVersions);
    if (!version) throw new CallingWebhookError(name, `could not create admission objects: ${NO_KNOWN_VERSION}`);
    const uid = a.ctx.random.uuid();
    let reply: unknown;
    try {
      reply = await postReview(target(h.clientConfig ?? {}), buildReview(version, uid, a, matched), h.timeoutSeconds ?? 10);
    } catch (err) {
      if (!(err instanceof WebhookCallError)) throw err;
      throw new CallingWebhookError(name, `failed to call webhook: ${err.message}`);
    }
    const result = verifyResponse(version, uid, mutating, reply);
    if ('error' in result) throw new CallingWebhookError(name, `received invalid webhook response: ${result.error}`);
    for (const [k, v] of Object.entries(result.auditAnnotations)) annotate(a, `${name}/${k}`, String(v));
    a.ctx.warnings?.push(...result.warnings);
    if (!result.allowed) throw denial(name, result.status);
    return result;
  }

  /** What failurePolicy makes of a call that failed: Ignore lets it pass (and says so in the audit annotations). */
  function onFailure(e: Entry, err: unknown, a: AdmissionAttributes, round: number): ApiError | undefined {
    if (!(err instanceof CallingWebhookError)) throw err;
    if (e.hook.failurePolicy === 'Ignore') {
      annotate(a, `failed-open.${mutating ? 'mutation' : 'validating'}.webhook.admission.k8s.io/round_${round}_index_${e.index}`, e.hook.name ?? '');
      return undefined;
    }
    return internalError(err);
  }

  return {
    entries,
    matchContext,
    shouldCall,
    call,
    onFailure,
    exempt: (a: AdmissionAttributes) => !configurations || (a.resource.group === GROUP && EXEMPT.has(a.resource.resource)),
    async start(factory: InformerFactory) {
      configurations = factory.forResource(configs);
      namespaces = factory.forResource(R.namespaces);
      configurations.start();
      namespaces.start();
      await Promise.all([configurations.waitForSync(), namespaces.waitForSync()]);
    },
  };
}

/** ValidatingAdmissionWebhook: every matching webhook is called at once; the first refusal in webhook order is the answer. */
export function validatingAdmissionWebhook(opts: WebhookOptions): WebhookPlugin {
  const d = webhookDispatcher(opts, VALIDATING_WEBHOOKS, false);
  return {
    name: 'ValidatingAdmissionWebhook',
    start: d.start,
    async validate(a) {
      if (d.exempt(a)) return;
      const all = d.entries();
      if (!all.length) return;
      const ctx = d.matchContext(a);
      const outcomes = await Promise.all(
        all.map(async (e) => {
          try {
            const matched = await d.shouldCall(e, a, ctx);
            if (matched) await d.call(e, a, matched);
            return undefined;
          } catch (err) {
            return err instanceof CallingWebhookError ? d.onFailure(e, err, a, 0) : err;
          }
        }),
      );
      const refusal = outcomes.find((o) => o !== undefined);
      if (refusal) throw refusal;
    },
  };
}

/** MutatingAdmissionWebhook: webhooks in order, each seeing the object the ones before it patched. */
export function mutatingAdmissionWebhook(opts: WebhookOptions): WebhookPlugin {
  const d = webhookDispatcher(opts, MUTATING_WEBHOOKS, true);

  /** Applies a verified answer's patch to the request's object; answers whether it changed. */
  function applyPatch(e: Entry, a: AdmissionAttributes, result: ReviewResult, round: number): boolean {
    const name = e.hook.name ?? '';
    if (!result.patch) return false;
    let ops: unknown;
    try {
      ops = JSON.parse(result.patch);
    } catch (err) {
      throw new CallingWebhookError(name, `received undecodable patch in webhook response: ${(err as Error).message}`);
    }
    if (!Array.isArray(ops)) throw new CallingWebhookError(name, 'received undecodable patch in webhook response: json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    if (!ops.length) return false;
    if (!a.object) throw internalError(`admission webhook ${JSON.stringify(name)} attempted to modify the object, which is not supported for this operation`);
    if (result.patchType !== 'JSONPatch') throw new CallingWebhookError(name, `unsupported patch type ${JSON.stringify(result.patchType ?? '')}`);
    let patched: KubeObject;
    try {
      patched = opts.applyJsonPatch(a.object, ops) as KubeObject;
    } catch (err) {
      const cause = (err as Error).cause;
      throw internalError(cause instanceof Error ? cause.message : err);
    }
    a.defaults?.(patched);
    const before = JSON.stringify(a.object);
    const changed = before !== JSON.stringify(patched);
    const obj = a.object as unknown as Record<string, unknown>;
    for (const k of Object.keys(obj)) delete obj[k];
    Object.assign(obj, patched);
    annotate(a, `patch.webhook.admission.k8s.io/round_${round}_index_${e.index}`, JSON.stringify({ configuration: e.configuration, webhook: name, patch: ops, patchType: 'JSONPatch' }));
    return changed;
  }

  return {
    name: 'MutatingAdmissionWebhook',
    start: d.start,
    async admit(a) {
      if (d.exempt(a)) return;
      const all = d.entries();
      if (!all.length) return;
      const ctx = d.matchContext(a);
      /** Webhooks called with IfNeeded, and those to call again because a later one changed the object. */
      let invokedIfNeeded = new Set<Entry>();
      let reinvoke = new Set<Entry>();
      for (const round of [0, 1]) {
        if (round === 1 && !reinvoke.size) return;
        for (const e of all) {
          if (round === 1 && !reinvoke.has(e)) continue;
          let changed = false;
          let failure: ApiError | undefined;
          try {
            const matched = await d.shouldCall(e, a, ctx);
            if (!matched) continue;
            const result = await d.call(e, a, matched);
            changed = applyPatch(e, a, result, round);
          } catch (err) {
            if (!(err instanceof CallingWebhookError)) throw err;
            failure = d.onFailure(e, err, a, round);
          }
          annotate(a, `mutation.webhook.admission.k8s.io/round_${round}_index_${e.index}`, JSON.stringify({ configuration: e.configuration, webhook: e.hook.name ?? '', mutated: changed }));
          if (changed) {
            reinvoke = new Set([...reinvoke, ...invokedIfNeeded]);
            invokedIfNeeded = new Set();
          }
          if (e.hook.reinvocationPolicy === 'IfNeeded') invokedIfNeeded.add(e);
          if (failure) throw failure;
        }
      }
    },
  };
}

/** A TCP connection to a `url` webhook's host; a failure reads as Go's dial error. */
function dialTcp(host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host, port });
    const onError = (err: NodeJS.ErrnoException & { address?: string; port?: number }) => {
      if (err.code === 'ENOTFOUND') return reject(new Error(`dial tcp: lookup ${host}: no such host`));
      const ip = err.address ?? host;
      reject(new Error(dialError('tcp', `${ip.includes(':') ? `[${ip}]` : ip}:${err.port ?? port}`, err)));
    };
    socket.once('connect', () => {
      socket.removeListener('error', onError);
      resolve(socket);
    });
    socket.once('error', onError);
  });
}
