// batch/v1 CronJob: a Job created on a schedule. Facts from pkg/apis/batch/v1/defaults.go,
// pkg/apis/batch/validation (ValidateCronJobCreate/Update, ValidateJobTemplateSpec),
// pkg/registry/batch/cronjob/strategy.go and printCronJob.
import { invalid, notSupported, required, type FieldError } from '../../api/field-errors.js';
import { formatLabelSelector, type LabelSelectorObject } from '../../api/labels.js';
import { parseStandard, isKnownTimeZone } from '../../api/cron.js';
import { isObject, type KubeObject } from '../../api/meta.js';
import { age } from '../../api/duration.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import type { ResourceDef } from '../resource.js';
import { cronJob } from '../schemas/batch.js';
import { field, specOf, statusOf } from '../narrow.js';
import { goLabelSelector } from './go-values.js';
import { validateJobSpecFields } from './jobs.js';
import { defaultPodTemplateSpec } from './pod/spec-defaults.js';
import { child, containerCells, containersColumn, imagesColumn, nonNegative, type Obj, selectorColumn } from './workloads.js';

/** The controller names Jobs `<cronjob>-<minutes>`: 11 more characters within a 63-character label. */
const MAX_NAME_LENGTH = 52;
const CONCURRENCY_POLICIES = ['Allow', 'Forbid', 'Replace'];
/** A time zone name's parts: IANA's rules, with digits and + kept for legacy names. */
const TIME_ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

const jobTemplateSpecOf = (o: KubeObject): Obj => field(field(specOf(o), 'jobTemplate'), 'spec');

// ---- defaults (SetDefaults_CronJob) ----

function defaults(o: KubeObject): void {
  const spec = child(o, 'spec');
  spec.concurrencyPolicy ||= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  const jobTemplate = child(spec, 'jobTemplate');
  // Go always writes the JobTemplateSpec's embedded ObjectMeta, its zero time as null.
  const meta = child(jobTemplate, 'metadata');
  if (meta.creationTimestamp === undefined) meta.creationTimestamp = null;
  defaultPodTemplateSpec(child(child(jobTemplate, 'spec'), 'template'));
}

// ---- validation ----

/** validateScheduleFormat: robfig/cron's standard parser, and no TZ= unless the old schedule had one. */
function validateSchedule(schedule: string, allowTZ: boolean, timeZone: unknown): FieldError[] {
  const path = 'spec.schedule';
  const parsed = parseStandard(schedule);
  const errs = typeof parsed === 'string' ? [invalid(path, schedule, parsed)] : [];
  if (allowTZ && schedule.includes('TZ') && timeZone !== undefined && timeZone !== null) errs.push(invalid(path, schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  else if (!allowTZ && schedule.includes('TZ')) errs.push(invalid(path, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  return errs;
}

/** validateTimeZone: a name Go's time.LoadLocation knows, never Local. */
function validateTimeZone(timeZone: unknown): FieldError[] {
  const path = 'spec.timeZone';
  if (typeof timeZone !== 'string') return [];
  if (timeZone === '') return [invalid(path, timeZone, 'timeZone must be nil or non-empty string')];
  if (timeZone.split('/').some((part) => part === '.' || part === '..' || part.startsWith('-') || !TIME_ZONE_PART.test(part))) {
    return [invalid(path, timeZone, `unknown time zone ${timeZone}`)];
  }
  const errs: FieldError[] = [];
  if (timeZone.toLowerCase() === 'local') errs.push(invalid(path, timeZone, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
  if (!isKnownTimeZone(timeZone)) errs.push(invalid(path, timeZone, `unknown time zone ${timeZone}`));
  return errs;
}

/** ValidateJobTemplateSpec: a Job's spec whose selector the Job will generate. */
function validateJobTemplate(spec: Obj): FieldError[] {
  const at = 'spec.jobTemplate.spec';
  const errs = validateJobSpecFields(spec, at);
  if (isObject(spec.selector)) errs.push(invalid(`${at}.selector`, goLabelSelector(spec.selector), '`selector` will be auto-generated'));
  if (spec.manualSelector === true) errs.push(notSupported(`${at}.manualSelector`, true, ['nil', 'false']));
  return errs;
}

/** validateCronJobSpec; on update the time zone is checked only when it changed. */
function validateSpec(o: KubeObject, old?: KubeObject): FieldError[] {
  const spec = specOf(o);
  const oldSpec = old && specOf(old);
  const schedule = typeof spec.schedule === 'string' ? spec.schedule : '';
  const errs = schedule === '' ? [required('spec.schedule')] : validateSchedule(schedule, String(oldSpec?.schedule ?? '').includes('TZ'), spec.timeZone);
  if (typeof spec.startingDeadlineSeconds === 'number') errs.push(...nonNegative(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  if (!oldSpec || oldSpec.timeZone !== spec.timeZone) errs.push(...validateTimeZone(spec.timeZone));
  const policy = typeof spec.concurrencyPolicy === 'string' ? spec.concurrencyPolicy : '';
  if (policy === '') errs.push(required('spec.concurrencyPolicy'));
  else if (!CONCURRENCY_POLICIES.includes(policy)) errs.push(notSupported('spec.concurrencyPolicy', policy, CONCURRENCY_POLICIES));
  errs.push(...validateJobTemplate(jobTemplateSpecOf(o)));
  return errs;
}

function validate(o: KubeObject): FieldError[] {
  const errs = validateSpec(o);
  const name = o.metadata.name ?? '';
  if (name.length > MAX_NAME_LENGTH) errs.push(invalid('metadata.name', name, `must be no more than ${MAX_NAME_LENGTH} characters`));
  return errs;
}

// ---- table (printCronJob) ----

function cells(o: KubeObject, now: Date): unknown[] {
  const spec = specOf(o);
  const status = statusOf(o);
  const jobSpec = jobTemplateSpecOf(o);
  const [names, images] = containerCells({ ...o, spec: jobSpec });
  const suspend = typeof spec.suspend === 'boolean' ? (spec.suspend ? 'True' : 'False') : '<unset>';
  const active = Array.isArray(status.active) ? status.active.length : 0;
  const lastSchedule = typeof status.lastScheduleTime === 'string' ? age(status.lastScheduleTime, now) : '<none>';
  const timeZone = typeof spec.timeZone === 'string' ? spec.timeZone : '<none>';
  const selector = formatLabelSelector(isObject(jobSpec.selector) ? (jobSpec.selector as LabelSelectorObject) : undefined);
  return [o.metadata.name, spec.schedule ?? '', timeZone, suspend, active, lastSchedule, age(o.metadata.creationTimestamp, now), names, images, selector];
}

export const cronjobs: ResourceDef = {
  group: 'batch',
  version: 'v1',
  kind: 'CronJob',
  resource: 'cronjobs',
  singular: 'cronjob',
  shortNames: ['cj'],
  categories: ['all'],
  namespaced: true,
  schema: cronJob,
  hasStatus: true,
  hasGeneration: true,
  defaults,
  prepareForCreate(o) {
    o.status = {};
  },
  validate,
  validateUpdate: (o, old) => validateSpec(o, old),
  table: {
    columns: [
      nameColumn,
      column('Schedule', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
      column('Timezone', "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones"),
      column('Suspend', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.', { type: 'boolean' }),
      column('Active', 'A list of pointers to currently running jobs.', { type: 'integer' }),
      column('Last Schedule', 'Information when was the last time the job was successfully scheduled.'),
      ageColumn,
      containersColumn,
      imagesColumn,
      selectorColumn('A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors'),
    ],
    cells,
  },
};
