// What a failed policy says, in kube-apiserver's words (validating/dispatcher.go, generic/policy_dispatcher.go):
// the Status of a denial (admission.NewForbidden's text, the reason and code of the first failed validation,
// the message as its cause), the Warning header text, and the audit annotations Audit and auditAnnotations add.
import { ApiError, forbidden } from '../api/errors.js';
import type { AdmissionAttributes } from './chain.js';

const REASON_CODES: Record<string, number> = { Forbidden: 403, Unauthorized: 401, RequestEntityTooLarge: 413 };

/** The name admission errors show: the object's name, else its generateName (admission.extractResourceName). */
const nameFor = (a: AdmissionAttributes) => a.name || a.object?.metadata.name || a.object?.metadata.generateName || '';

/** `<resource>.<group> "<name>" is forbidden: ValidatingAdmissionPolicy '<p>' with binding '<b>' denied request: <msg>`. */
export function denial(a: AdmissionAttributes, policy: string, binding: string, message: string, reason = 'Invalid'): ApiError {
  const text = `ValidatingAdmissionPolicy '${policy}' with binding '${binding}' denied request: ${message}`;
  const err = forbidden({ group: a.resource.group, resource: a.resource.resource }, nameFor(a), text);
  return withStatus(err, reason, REASON_CODES[reason] ?? 422, text);
}

/** A configuration error (missing params, an unknown paramKind…) under failurePolicy Fail: a 403 with that message alone. */
export function configurationDenial(a: AdmissionAttributes, policy: string, binding: string | undefined, message: string): ApiError {
  const text = binding !== undefined
    ? `policy '${policy}' with binding '${binding}' denied request: failed to configure binding: ${message}`
    : `policy "${policy}" denied request: failed to configure policy: ${message}`;
  const err = forbidden({ group: a.resource.group, resource: a.resource.resource }, nameFor(a), text);
  return withStatus(new ApiError(err.code, err.reason, text, err.details), 'Forbidden', 403, text);
}

function withStatus(err: ApiError, reason: string, code: number, cause: string): ApiError {
  return new ApiError(code, reason, err.message, { ...err.details, causes: [...(err.details?.causes ?? []), { message: cause }] });
}

export const warningText = (policy: string, binding: string, message: string) => `Validation failed for ValidatingAdmissionPolicy '${policy}' with binding '${binding}': ${message}`;

export const VALIDATION_FAILURE_ANNOTATION = 'validation.policy.admission.k8s.io/validation_failure';
/** maxAuditAnnotationValueLength */
export const MAX_AUDIT_VALUE_LENGTH = 10 * 1024;

/** The value of the validation_failure audit annotation for one failed validation (a JSON list of one). */
export function validationFailureValue(policy: string, binding: string, actions: string[], index: number, message: string): string {
  return JSON.stringify([{ message, policy, binding, expressionIndex: index, validationActions: actions }]);
}
