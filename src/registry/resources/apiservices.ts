// apiregistration.k8s.io/v1 APIService: the server of one API group version, Local (this server)
// or a Service that the aggregation layer proxies to. Facts from kube-aggregator's
// apis/apiregistration (validation, v1 defaults) and registry/apiservice (strategy, the table).
import { availableCondition, localAvailable, type APIService } from '../../api/apiservices.js';
import { age } from '../../api/duration.js';
import { invalid, notSupported, required, type FieldError } from '../../api/field-errors.js';
import { formatTime, type KubeObject } from '../../api/meta.js';
import { isDNS1035Label, isDNS1123Subdomain, validateName } from '../../api/validation.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import type { ResourceDef } from '../resource.js';
import { apiService } from '../schemas/apiregistration.js';

const CONDITION_STATUSES = ['True', 'False', 'Unknown'];

/** ValidateAPIService without the rest of ObjectMeta (the store checks that). */
function validateApiService(o: KubeObject): FieldError[] {
  const spec = (o as APIService).spec ?? {};
  const [group, version] = [spec.group ?? '', spec.version ?? ''];
  const errs: FieldError[] = [];
  const name = o.metadata.name ?? '';
  const requiredName = `${version}.${group}`;
  // The store has checked the name as a path segment; it must also be version.group.
  if (name && validateName(name, 'path-segment', false).length === 0 && name !== requiredName) {
    errs.push(invalid('metadata.name', name, `must be \`spec.version+"."+spec.group\`: ${JSON.stringify(requiredName)}`));
  }
  if (group === '' && version !== 'v1') errs.push(required('spec.group', 'only v1 may have an empty group and it better be legacy kube'));
  if (group !== '') errs.push(...isDNS1123Subdomain(group).map((msg) => invalid('spec.group', group, msg)));
  errs.push(...isDNS1035Label(version).map((msg) => invalid('spec.version', version, msg)));
  const groupPriority = spec.groupPriorityMinimum ?? 0;
  if (groupPriority <= 0 || groupPriority > 20000) errs.push(invalid('spec.groupPriorityMinimum', groupPriority, 'must be positive and less than 20000'));
  const versionPriority = spec.versionPriority ?? 0;
  if (versionPriority <= 0 || versionPriority > 1000) errs.push(invalid('spec.versionPriority', versionPriority, 'must be positive and less than 1000'));
  const caBytes = spec.caBundle ? Buffer.from(spec.caBundle, 'base64').length : 0;
  const insecure = spec.insecureSkipTLSVerify === true;
  if (!spec.service) {
    if (caBytes) errs.push(invalid('spec.caBundle', `${caBytes} bytes`, 'local APIServices may not have a caBundle'));
    if (insecure) errs.push(invalid('spec.insecureSkipTLSVerify', insecure, 'local APIServices may not have insecureSkipTLSVerify'));
    return errs;
  }
  if (!spec.service.namespace) errs.push(required('spec.service.namespace'));
  if (!spec.service.name) errs.push(required('spec.service.name'));
  if (insecure && caBytes) errs.push(invalid('spec.insecureSkipTLSVerify', insecure, 'may not be true if caBundle is present'));
  return errs;
}

/** ValidateAPIServiceStatus. */
function validateStatus(o: KubeObject): FieldError[] {
  return ((o as APIService).status?.conditions ?? []).flatMap((c, i) =>
    CONDITION_STATUSES.includes(c.status) ? [] : [notSupported(`status.conditions[${i}].status`, c.status, CONDITION_STATUSES)],
  );
}

/** The AVAILABLE cell: True, or the status with its reason ("False (ServiceNotFound)"), Unknown without a condition. */
function availableCell(o: APIService): string {
  const c = availableCondition(o);
  if (!c) return 'Unknown';
  return c.status !== 'True' && c.reason ? `${c.status} (${c.reason})` : c.status;
}

export const apiServices: ResourceDef = {
  group: 'apiregistration.k8s.io',
  version: 'v1',
  kind: 'APIService',
  resource: 'apiservices',
  singular: 'apiservice',
  categories: ['api-extensions'],
  namespaced: false,
  schema: apiService,
  // The aggregator stores by group and resource (SimpleRestOptionsFactory).
  storagePrefix: 'apiregistration.k8s.io/apiservices',
  nameRule: 'path-segment',
  genericObjectMeta: true,
  hasStatus: true,
  allowUnconditionalUpdate: false,
  defaults(o) {
    // SetDefaults_ServiceReference.
    const service = (o as APIService).spec?.service;
    if (service) service.port ??= 443;
  },
  prepareForCreate(o, ctx) {
    // Local APIServices are available from the start.
    const s = o as APIService;
    if (!s.spec?.service) s.status = { conditions: [localAvailable(formatTime(ctx.clock.now()))] };
  },
  validate: validateApiService,
  validateUpdate: (o, _old, _ctx, sub) => (sub === 'status' ? validateStatus(o) : validateApiService(o)),
  table: {
    columns: [
      nameColumn,
      column('Service', 'The reference to the service that hosts this API endpoint.'),
      column('Available', 'Whether this service is available.'),
      ageColumn,
    ],
    cells: (o, now) => {
      const service = (o as APIService).spec?.service;
      return [o.metadata.name, service ? `${service.namespace ?? ''}/${service.name ?? ''}` : 'Local', availableCell(o as APIService), age(o.metadata.creationTimestamp, now)];
    },
  },
};
