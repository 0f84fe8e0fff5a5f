// The shapes of admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration and MutatingWebhookConfiguration
// that the registry (defaults, validation) and the webhook admission plugins read.
import type { LabelSelectorObject } from '../api/labels.js';
import type { KubeObject } from '../api/meta.js';
import type { NamedRule } from './validating-policy-types.js';

export interface ServiceReference {
  namespace?: string;
  name?: string;
  path?: string;
  port?: number;
}

export interface WebhookClientConfig {
  url?: string;
  service?: ServiceReference;
  /** Base64 of PEM certificates. */
  caBundle?: string;
}

export interface Webhook {
  name?: string;
  clientConfig?: WebhookClientConfig;
  rules?: Omit<NamedRule, 'resourceNames'>[];
  failurePolicy?: string;
  matchPolicy?: string;
  namespaceSelector?: LabelSelectorObject;
  objectSelector?: LabelSelectorObject;
  sideEffects?: string;
  timeoutSeconds?: number;
  admissionReviewVersions?: string[];
  matchConditions?: { name?: string; expression?: string }[];
  /** Mutating webhooks only. */
  reinvocationPolicy?: string;
}

export type WebhookConfiguration = KubeObject & { webhooks?: Webhook[] };

/** SetDefaults_ValidatingWebhook / SetDefaults_MutatingWebhook, SetDefaults_Rule and SetDefaults_ServiceReference (v1). */
export function defaultWebhooks(o: WebhookConfiguration, mutating: boolean): void {
  for (const w of o.webhooks ?? []) {
    w.failurePolicy ??= 'Fail';
    w.matchPolicy ??= 'Equivalent';
    w.namespaceSelector ??= {};
    w.objectSelector ??= {};
    w.timeoutSeconds ??= 10;
    if (mutating) w.reinvocationPolicy ??= 'Never';
    for (const r of w.rules ?? []) r.scope ??= '*';
    if (w.clientConfig?.service) w.clientConfig.service.port ??= 443;
  }
}
