import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CustomResourceDefinition } from '../../api/crd.js';
import { errorText } from '../../api/field-errors.js';
import { validateCrd, validateCrdUpdate } from '../apiextensions/crd-validation.js';
import { customResourceDefinitions } from './customresourcedefinitions.js';

const def = customResourceDefinitions();

function crd(change: (c: any) => void = () => {}): CustomResourceDefinition {
  const c: any = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'crontabs.stable.example.com' },
    spec: {
      group: 'stable.example.com',
      scope: 'Namespaced',
      names: { plural: 'crontabs', kind: 'CronTab' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { image: { type: 'string' } } } } } } }],
    },
  };
  change(c);
  def.defaults!(c);
  def.prepareForCreate!(c, undefined as never);
  return c;
}

const errors = (c: CustomResourceDefinition) => validateCrd(c).map(errorText);

describe('CustomResourceDefinition', () => {
  it('defaults singular, listKind and the conversion strategy; create records the storage version', () => {
    const c = crd();
    assert.equal(c.spec.names.singular, 'crontab');
    assert.equal(c.spec.names.listKind, 'CronTabList');
    assert.deepEqual(c.spec.conversion, { strategy: 'None' });
    assert.deepEqual(c.status?.storedVersions, ['v1']);
    assert.deepEqual(errors(c), []);
  });

  it('names, group and scope as upstream words them', () => {
    const c = crd((c) => {
      c.metadata.name = 'wrong.stable.example.com';
      c.spec.group = 'example';
      c.spec.scope = 'Everywhere';
      c.spec.names.kind = 'Cron_Tab';
      c.spec.names.listKind = 'Cron_Tab';
    });
    assert.deepEqual(errors(c), [
      'metadata.name: Invalid value: "wrong.stable.example.com": must be spec.names.plural+"."+spec.group',
      'spec.group: Invalid value: "example": should be a domain with at least one dot',
      'spec.scope: Unsupported value: "Everywhere": supported values: "Cluster", "Namespaced"',
      'spec.names.singular: Invalid value: "cron_tab": a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character, and end with an alphanumeric character (e.g. \'my-name\',  or \'abc-123\', regex used for validation is \'[a-z]([-a-z0-9]*[a-z0-9])?\')',
      'spec.names.kind: Invalid value: "Cron_Tab": may have mixed case, but should otherwise match: a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character, and end with an alphanumeric character (e.g. \'my-name\',  or \'abc-123\', regex used for validation is \'[a-z]([-a-z0-9]*[a-z0-9])?\')',
      'spec.names.listKind: Invalid value: "Cron_Tab": may have mixed case, but should otherwise match: a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character, and end with an alphanumeric character (e.g. \'my-name\',  or \'abc-123\', regex used for validation is \'[a-z]([-a-z0-9]*[a-z0-9])?\')',
      'spec.names.listKind: Invalid value: "Cron_Tab": kind and listKind may not be the same',
    ]);
  });

  it('a schema shared by every version is reported at spec.validation, as the internal type holds it', () => {
    const c = crd((c) => {
      c.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.image = { description: 'no type' };
      c.spec.versions[0].schema.openAPIV3Schema.properties.metadata = { type: 'object', properties: { labels: { type: 'object' } } };
    });
    assert.deepEqual(errors(c), [
      'spec.validation.openAPIV3Schema.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified',
      'spec.validation.openAPIV3Schema.properties[spec].properties[image].type: Required value: must not be empty for specified object fields',
    ]);
  });

  it('versions: exactly one storage version, schemas required, subresource paths, columns, list types', () => {
    const c = crd((c) => {
      c.spec.versions[0].storage = false;
      c.spec.versions.push({ name: 'v2', served: true, storage: false, subresources: { scale: { specReplicasPath: '.replicas', statusReplicasPath: '.status.replicas' } }, additionalPrinterColumns: [{ name: 'X', type: 'text', jsonPath: 'spec' }] });
    });
    assert.deepEqual(errors(c), [
      'spec.versions[1].schema.openAPIV3Schema: Required value: schemas are required',
      'spec.versions[1].subresources.scale.specReplicasPath: Invalid value: ".replicas": should be a json path under .spec',
      'spec.versions[1].additionalPrinterColumns[0].type: Invalid value: "text": must be one of boolean,date,integer,number,string',
      'spec.versions[1].additionalPrinterColumns[0].JSONPath: Invalid value: "spec": must be a simple json path starting with .',
      'spec.versions: Invalid value: must have exactly one version marked as storage version',
      'status.storedVersions: Invalid value: []string{}: must have at least one stored version',
    ]);
  });

  it('x-kubernetes-* extensions, unsupported keywords, the approval of protected groups, preserveUnknownFields', () => {
    const c = crd((c) => {
      c.metadata.name = 'crontabs.apps.k8s.io';
      c.spec.group = 'apps.k8s.io';
      c.spec.preserveUnknownFields = true;
      c.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.tags = { type: 'array', uniqueItems: true, 'x-kubernetes-list-type': 'map', items: { type: 'string' } };
    });
    assert.deepEqual(errors(c), [
      'spec.validation.openAPIV3Schema.properties[spec].properties[tags].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic',
      'spec.validation.openAPIV3Schema.properties[spec].properties[tags].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map',
      'spec.validation.openAPIV3Schema.properties[spec].properties[tags].items.type: Invalid value: "string": must be object if parent array\'s x-kubernetes-list-type is map',
      'metadata.annotations[api-approved.kubernetes.io]: Required value: protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111',
      'spec.preserveUnknownFields: Invalid value: true: cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead',
    ]);
  });

  it('group and plural are immutable; scope and kind once Established', () => {
    const old = crd();
    old.status!.conditions = [{ type: 'Established', status: 'True' }];
    const c = crd((c) => {
      c.spec.scope = 'Cluster';
      c.spec.names.kind = 'Other';
    });
    c.status = old.status;
    assert.deepEqual(validateCrdUpdate(c, old).map(errorText), [
      'spec.scope: Invalid value: "Cluster": field is immutable',
      'spec.names.kind: Invalid value: "Other": field is immutable',
    ]);
  });

  it('warns of formats the validator does not know', () => {
    const c = crd((c) => (c.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.image.format = 'cron'));
    assert.deepEqual(def.warningsOnCreate!(c), ['unrecognized format "cron"']);
  });
});
