// batch/v1 Job (k8s.io/api/batch/v1), as served by Kubernetes 1.32.
import { arr, bool, described, int32, int64, keepZero, keyedList, obj, pb, ptr, str, time } from '../../api/schema.js';
import { objectReference, podTemplateSpec } from './core.js';
import { kind, labelSelector, objectMeta } from './meta.js';

const BATCH = 'io.k8s.api.batch.v1';

// ---- pod failure policy ----

export const podFailurePolicyOnExitCodesRequirement = obj(`${BATCH}.PodFailurePolicyOnExitCodesRequirement`, 'Matches a failed pod by the exit codes of its containers; exit code 0 is never considered.', {
  containerName: pb(1, ptr(str('Only check the container (or init container) with this name; all containers when unset.'))),
  operator: pb(2, str('In or NotIn: how the exit codes relate to values.', { enum: ['In', 'NotIn'] })),
  values: pb(3, arr(int32(), 'Sorted, distinct exit codes to compare against (1 to 255 of them).', { listType: 'set' })),
}, { required: ['operator', 'values'] });

export const podFailurePolicyOnPodConditionsPattern = obj(`${BATCH}.PodFailurePolicyOnPodConditionsPattern`, 'Matches a failed pod by one of its conditions.', {
  status: pb(2, str('The pod condition status to match.')),
  type: pb(1, str('The pod condition type to match.')),
}, { required: ['type', 'status'] });

export const podFailurePolicyRule = obj(`${BATCH}.PodFailurePolicyRule`, 'What to do with a failed pod that meets the requirements; onExitCodes and onPodConditions are mutually exclusive.', {
  action: pb(1, str('What to do when the rule matches: FailJob, FailIndex, Ignore or Count.', { enum: ['Count', 'FailIndex', 'FailJob', 'Ignore'] })),
  onExitCodes: pb(2, ptr(described('Requirement on the exit codes of the containers.', podFailurePolicyOnExitCodesRequirement))),
  onPodConditions: pb(3, arr(podFailurePolicyOnPodConditionsPattern, 'Pod condition patterns, any of which satisfies the rule (at most 20).', { listType: 'atomic' })),
}, { required: ['action'] });

export const podFailurePolicy = obj(`${BATCH}.PodFailurePolicy`, 'How pod failures count against the backoff limit.', {
  rules: pb(1, arr(podFailurePolicyRule, 'Rules evaluated in order, the first match wins (at most 20).', { listType: 'atomic' })),
}, { required: ['rules'] });

// ---- success policy ----

export const successPolicyRule = obj(`${BATCH}.SuccessPolicyRule`, 'A rule that declares a Job succeeded; needs succeededIndexes, succeededCount or both.', {
  succeededCount: pb(2, ptr(int32('Minimal number of succeeded indexes (within succeededIndexes, if set) needed.'))),
  succeededIndexes: pb(1, ptr(str('Indexes that must all succeed, as intervals such as "1,3-5,7".'))),
});

export const successPolicy = obj(`${BATCH}.SuccessPolicy`, 'When an Indexed Job may be declared succeeded before all its completions.', {
  rules: pb(1, arr(successPolicyRule, 'Alternative rules evaluated in order; the first one met marks the Job as succeeded (at most 20).', { listType: 'atomic' })),
}, { required: ['rules'] });

// ---- Job ----

export const jobSpec = obj(`${BATCH}.JobSpec`, 'How a Job runs.', {
  activeDeadlineSeconds: pb(3, ptr(int64('Seconds from startTime the Job may stay active before the system terminates it.'))),
  backoffLimit: pb(7, ptr(int32('Retries before the Job is marked failed (default 6, or unlimited with backoffLimitPerIndex).'))),
  backoffLimitPerIndex: pb(12, ptr(int32('Retries within each index before that index is marked failed; Indexed Jobs only.'))),
  completionMode: pb(9, ptr(str('NonIndexed (default) or Indexed: how pod completions are tracked.', { enum: ['Indexed', 'NonIndexed'] }))),
  completions: pb(2, ptr(int32('Number of successfully finished pods the Job needs; null means any single success ends it.'))),
  managedBy: pb(15, ptr(str('Controller responsible for the Job; the built-in controller skips Jobs set to anything but kubernetes.io/job-controller.'))),
  manualSelector: pb(5, ptr(bool('When true, the user picks the pod selector and labels instead of the system.'))),
  maxFailedIndexes: pb(13, ptr(int32('Failed indexes after which the whole Job fails; only with backoffLimitPerIndex.'))),
  parallelism: pb(1, ptr(int32('Maximum number of pods the Job runs at the same time.'))),
  podFailurePolicy: pb(11, ptr(described('How failed pods are handled; not allowed with restartPolicy OnFailure.', podFailurePolicy))),
  podReplacementPolicy: pb(14, ptr(str('When replacement pods are created: TerminatingOrFailed or Failed.', { enum: ['Failed', 'TerminatingOrFailed'] }))),
  selector: pb(4, ptr(described('Selects the pods counted by the Job; normally set by the system.', labelSelector))),
  successPolicy: pb(16, ptr(described('When the Job may be declared succeeded early; Indexed Jobs only.', successPolicy))),
  suspend: pb(10, ptr(bool('Whether the Job controller should stop creating pods (and delete active ones).'))),
  template: pb(6, keepZero(described('The pods to create; restartPolicy must be Never or OnFailure.', podTemplateSpec))),
  ttlSecondsAfterFinished: pb(8, ptr(int32('Seconds after the Job finishes before it may be deleted automatically.'))),
}, { required: ['template'] });

export const jobCondition = obj(`${BATCH}.JobCondition`, 'The state of a Job at one point in time.', {
  lastProbeTime: pb(3, time('When the condition was last checked.')),
  lastTransitionTime: pb(4, time('When the condition last went from one status to another.')),
  message: pb(6, str('Human readable detail about the last transition.')),
  reason: pb(5, str('Brief reason for the last transition.')),
  status: pb(2, str('True, False or Unknown.')),
  type: pb(1, str('Kind of condition, e.g. Complete or Failed.')),
}, { required: ['type', 'status'] });

export const uncountedTerminatedPods = obj(`${BATCH}.UncountedTerminatedPods`, 'UIDs of finished pods not yet counted in the Job status.', {
  failed: pb(2, arr(str(), 'UIDs of failed pods.', { listType: 'set' })),
  succeeded: pb(1, arr(str(), 'UIDs of succeeded pods.', { listType: 'set' })),
});

export const jobStatus = obj(`${BATCH}.JobStatus`, 'The current state of a Job.', {
  active: pb(4, int32('Pending and running pods that are not terminating.')),
  completedIndexes: pb(7, str('Completed indexes of an Indexed Job, as intervals such as "1,3-5,7".')),
  completionTime: pb(3, ptr(time('When the Job completed successfully.'))),
  conditions: pb(1, keyedList(jobCondition, 'type', 'Latest observations of the state of the Job.', { listType: 'atomic' })),
  failed: pb(6, int32('Pods that reached phase Failed.')),
  failedIndexes: pb(10, ptr(str('Failed indexes when backoffLimitPerIndex is set, as intervals such as "1,3-5,7".'))),
  ready: pb(9, ptr(int32('Active pods with a Ready condition that are not terminating.'))),
  startTime: pb(2, ptr(time('When the Job controller started processing the Job.'))),
  succeeded: pb(5, int32('Pods that reached phase Succeeded.')),
  terminating: pb(11, ptr(int32('Pods that are terminating: pending or running with a deletionTimestamp.'))),
  uncountedTerminatedPods: pb(8, ptr(described('Finished pods the controller has not yet added to the counters.', uncountedTerminatedPods))),
});

export const job = kind('batch', 'v1', 'Job', BATCH, 'A single job: pods run until a number of them complete.', {
  spec: pb(2, described('Desired behaviour of the Job.', jobSpec)),
  status: pb(3, described('Current status of the Job.', jobStatus)),
});

// ---- CronJob ----

export const jobTemplateSpec = obj(`${BATCH}.JobTemplateSpec`, 'The Job to create when a CronJob runs.', {
  metadata: pb(1, described('Metadata of the Jobs created from this template.', objectMeta)),
  spec: pb(2, described('The Job to create.', jobSpec)),
});

export const cronJobSpec = obj(`${BATCH}.CronJobSpec`, 'How a CronJob runs and when.', {
  concurrencyPolicy: pb(3, str('How concurrent runs are treated: Allow (default), Forbid or Replace.', { enum: ['Allow', 'Forbid', 'Replace'] })),
  failedJobsHistoryLimit: pb(7, ptr(int32('Failed finished Jobs to keep (default 1).'))),
  jobTemplate: pb(5, keepZero(described('The Job to create at each scheduled time.', jobTemplateSpec))),
  schedule: pb(1, str('The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.')),
  startingDeadlineSeconds: pb(2, ptr(int64('Deadline in seconds for starting a Job that missed its scheduled time.'))),
  successfulJobsHistoryLimit: pb(6, ptr(int32('Successful finished Jobs to keep (default 3).'))),
  suspend: pb(4, ptr(bool('Whether to stop creating Jobs; Jobs already started are not affected (default false).'))),
  timeZone: pb(8, ptr(str('The IANA time zone of the schedule; the controller manager\'s local zone when unset.'))),
}, { required: ['schedule', 'jobTemplate'] });

export const cronJobStatus = obj(`${BATCH}.CronJobStatus`, 'The current state of a CronJob.', {
  active: pb(1, arr(objectReference, 'A list of pointers to currently running jobs.', { listType: 'atomic' })),
  lastScheduleTime: pb(4, ptr(time('Information when was the last time the job was successfully scheduled.'))),
  lastSuccessfulTime: pb(5, ptr(time('Information when was the last time the job successfully completed.'))),
});

export const cronJob = kind('batch', 'v1', 'CronJob', BATCH, 'A Job run on a schedule.', {
  spec: pb(2, described('Desired behaviour of the CronJob, including the schedule.', cronJobSpec)),
  status: pb(3, described('Current status of the CronJob.', cronJobStatus)),
});
