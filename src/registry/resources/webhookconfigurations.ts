// admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration and MutatingWebhookConfiguration
// (pkg/registry/admissionregistration/{validating,mutating}webhookconfiguration): cluster-scoped, v1 defaults,
// generation bumped by changes to the webhooks, printed as NAME WEBHOOKS AGE. The admission plugins
// (admission/webhooks.ts) call the webhooks.
import { age } from '../../api/duration.js';
import { defaultWebhooks, type WebhookConfiguration } from '../../admission/webhook-types.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import type { ResourceDef } from '../resource.js';
import { mutatingWebhookConfiguration, validatingWebhookConfiguration } from '../schemas/admissionregistration.js';
import { validateWebhookConfiguration } from './webhook-validation.js';

function webhookConfigurations(kind: string, mutating: boolean): ResourceDef {
  const lower = kind.toLowerCase();
  return {
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    kind,
    resource: `${lower}s`,
    singular: lower,
    categories: ['api-extensions'],
    namespaced: false,
    schema: mutating ? mutatingWebhookConfiguration : validatingWebhookConfiguration,
    hasGeneration: true,
    specChanged: (o, old) => JSON.stringify((o as WebhookConfiguration).webhooks) !== JSON.stringify((old as WebhookConfiguration).webhooks),
    defaults: (o) => defaultWebhooks(o as WebhookConfiguration, mutating),
    validate: (o) => validateWebhookConfiguration(o as WebhookConfiguration, mutating),
    validateUpdate: (o, old) => validateWebhookConfiguration(o as WebhookConfiguration, mutating, old as WebhookConfiguration),
    table: {
      columns: [nameColumn, column('Webhooks', 'Webhooks indicates the number of webhooks registered in this configuration', { type: 'integer' }), ageColumn],
      cells: (o, now) => [o.metadata.name, (o as WebhookConfiguration).webhooks?.length ?? 0, age(o.metadata.creationTimestamp, now)],
    },
  };
}

export const validatingWebhookConfigurations = webhookConfigurations('ValidatingWebhookConfiguration', false);
export const mutatingWebhookConfigurations = webhookConfigurations('MutatingWebhookConfiguration', true);
