// core/v1 PodTemplate: a pod template stored on its own, for other objects to copy. Facts from
// pkg/registry/core/podtemplate (the strategy), ValidatePodTemplate and printPodTemplate.
import { formatLabels } from '../../api/labels.js';
import { deepEqual, type KubeObject } from '../../api/meta.js';
import { column, nameColumn } from '../columns.js';
import type { ResourceDef } from '../resource.js';
import { podTemplate } from '../schemas/core.js';
import { dropDisabledPodSpecFields } from './pod/disabled-fields.js';
import { defaultPodTemplateSpec } from './pod/spec-defaults.js';
import { validatePodTemplateSpec } from './pod/spec-validation.js';
import { templateContainerCells } from './workloads.js';
import { field, fieldToFill, type Obj } from '../narrow.js';

const templateOf = (o: KubeObject): Obj => field(o, 'template');

/** ValidatePodTemplate without ObjectMeta (the store checks that); updates check the same. */
const validate = (o: KubeObject) => validatePodTemplateSpec(o.template ?? {}, 'template');

export const podtemplates: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'PodTemplate',
  resource: 'podtemplates',
  singular: 'podtemplate',
  namespaced: true,
  schema: podTemplate,
  hasGeneration: true,
  specChanged: (o, old) => !deepEqual(o.template, old.template),
  defaults(o) {
    defaultPodTemplateSpec(fieldToFill(o, 'template'));
  },
  prepareForCreate(o) {
    dropDisabledPodSpecFields(fieldToFill(fieldToFill(o, 'template'), 'spec'));
  },
  prepareForUpdate(o, old) {
    dropDisabledPodSpecFields(fieldToFill(fieldToFill(o, 'template'), 'spec'), field(templateOf(old), 'spec'));
  },
  validate,
  validateUpdate: validate,
  table: {
    columns: [
      nameColumn,
      column('Containers', 'Names of each container in the template.'),
      column('Images', 'Images referenced by each container in the template.'),
      column('Pod Labels', 'The labels for the pod template.'),
    ],
    cells: (o) => [o.metadata.name, ...templateContainerCells(templateOf(o)), formatLabels(field(templateOf(o), 'metadata').labels as Record<string, string> | undefined)],
  },
};
