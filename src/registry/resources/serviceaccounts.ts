// core/v1 ServiceAccount: an identity for processes in pods, with the TokenRequest subresource.
import type { KubeObject } from '../../api/meta.js';
import { tokenSubresource, type TokenRequestConfig } from './serviceaccount-token.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import type { ResourceDef } from '../resource.js';
import { serviceAccount } from '../schemas/core.js';
import { age } from '../../api/duration.js';

const secretsOf = (o: KubeObject) => (Array.isArray(o.secrets) ? (o.secrets as { name?: string }[]) : []);

/** cleanSecretReferences: a ServiceAccount refers to its secrets by name only. */
function cleanSecretReferences(o: KubeObject): void {
  if (Array.isArray(o.secrets)) o.secrets = secretsOf(o).map((s) => ({ name: s.name }));
}

export function serviceaccounts(tokenRequest: TokenRequestConfig): ResourceDef {
  return {
    group: '',
    version: 'v1',
    kind: 'ServiceAccount',
    resource: 'serviceaccounts',
    singular: 'serviceaccount',
    shortNames: ['sa'],
    namespaced: true,
    schema: serviceAccount,
    returnDeletedObject: true,
    prepareForCreate: cleanSecretReferences,
    prepareForUpdate: cleanSecretReferences,
    table: {
      columns: [nameColumn, column('Secrets', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), ageColumn],
      cells: (o, now) => [o.metadata.name, secretsOf(o).length, age(o.metadata.creationTimestamp, now)],
    },
    subresources: { token: tokenSubresource(tokenRequest) },
  };
}
