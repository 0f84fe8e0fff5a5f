// core/v1 ServiceAccount: an identity for processes in pods.
import type { KubeObject } from '../../api/meta.js';
import { age } from '../../server/table.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import type { ResourceDef } from '../resource.js';
import { serviceAccount } from '../schemas/core.js';

const secretsOf = (o: KubeObject) => (Array.isArray(o.secrets) ? o.secrets : []);

export const serviceaccounts: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  resource: 'serviceaccounts',
  singular: 'serviceaccount',
  shortNames: ['sa'],
  namespaced: true,
  schema: serviceAccount,
  returnDeletedObject: true,
  table: {
    columns: [nameColumn, column('Secrets', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), ageColumn],
    cells: (o, now) => [o.metadata.name, secretsOf(o).length, age(o.metadata.creationTimestamp, now)],
  },
};
