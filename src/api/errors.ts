// API errors. Every failure the server reports is a Kubernetes Status with the reason, code and
// message that k8s.io/apimachinery/pkg/api/errors gives it.
import { aggregate, errorBody, type FieldError } from './field-errors.js';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { continue?: string };
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export class ApiError extends Error {
  /** ListMeta of the Status (only a 410 on a paged list carries a continue token). */
  listMeta: { continue?: string } = {};

  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): Status {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: this.listMeta,
      status: 'Failure',
      message: this.message,
      ...(this.reason ? { reason: this.reason } : {}),
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** A group-qualified resource, e.g. `roles.rbac.authorization.k8s.io` or `pods`. */
export interface GroupResource {
  group: string;
  resource: string;
}

export const qualified = (gr: GroupResource): string => (gr.group ? `${gr.resource}.${gr.group}` : gr.resource);

function details(gr: GroupResource, name?: string): StatusDetails {
  const d: StatusDetails = {};
  if (name) d.name = name;
  if (gr.group) d.group = gr.group;
  if (gr.resource) d.kind = gr.resource;
  return d;
}

export const notFound = (gr: GroupResource, name: string) =>
  new ApiError(404, 'NotFound', `${qualified(gr)} "${name}" not found`, details(gr, name));

export const alreadyExists = (gr: GroupResource, name: string) =>
  new ApiError(409, 'AlreadyExists', `${qualified(gr)} "${name}" already exists`, details(gr, name));

export const conflict = (gr: GroupResource, name: string, why: string) =>
  new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${why}`, details(gr, name));

export const OBJECT_MODIFIED = 'the object has been modified; please apply your changes to the latest version and try again';

export function forbidden(gr: GroupResource, name: string, why: string): ApiError {
  const subject = !gr.resource ? 'forbidden' : name ? `${qualified(gr)} "${name}" is forbidden` : `${qualified(gr)} is forbidden`;
  return new ApiError(403, 'Forbidden', `${subject}: ${why}`, details(gr, name));
}

/** `kind` is the group-qualified Kind, e.g. ServiceAccount or Role.rbac.authorization.k8s.io. */
export function invalid(group: string, kind: string, name: string, errors: FieldError[]): ApiError {
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const d: StatusDetails = {};
  if (name) d.name = name;
  if (group) d.group = group;
  if (kind) d.kind = kind;
  d.causes = errors.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field }));
  const message = errors.length ? `${qualifiedKind} "${name}" is invalid: ${aggregate(errors)}` : `${qualifiedKind} "${name}" is invalid`;
  return new ApiError(422, 'Invalid', message, d);
}

export const badRequest = (message: string) => new ApiError(400, 'BadRequest', message);

export const methodNotSupported = (gr: GroupResource, action: string) =>
  new ApiError(405, 'MethodNotAllowed', `${action} is not supported on resources of kind "${qualified(gr)}"`, details(gr));

export const unauthorized = (message = 'Unauthorized') => new ApiError(401, 'Unauthorized', message);

export const expired = (message: string) => new ApiError(410, 'Expired', message);

export const tooLarge = (limit: number) => new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);

export const unsupportedMediaType = (contentType: string) =>
  new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${contentType}`);

export const notAcceptable = (accepted: string) =>
  new ApiError(406, 'NotAcceptable', `only the following media types are accepted: ${accepted}`);

export const internalError = (err: unknown) => {
  const msg = err instanceof Error ? err.message : String(err);
  return new ApiError(500, 'InternalError', `Internal error occurred: ${msg}`, { causes: [{ message: msg }] });
};

export const serviceUnavailable = (message: string) => new ApiError(503, 'ServiceUnavailable', message);

export const timeout = (message: string) => new ApiError(504, 'Timeout', `Timeout: ${message}`);

/** The 404 for a URL that names no known resource. */
export const pathNotFound = () => new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});

/** Whether an error is a 404 Status (NotFound). */
export function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 404;
}

/** Whether an error is a 409 Conflict Status (a write at a stale resourceVersion). */
export function isConflict(err: unknown): boolean {
  return err instanceof ApiError && err.code === 409 && err.reason === 'Conflict';
}

/** Whether an error is a 409 AlreadyExists Status. */
export function isAlreadyExists(err: unknown): boolean {
  return err instanceof ApiError && err.code === 409 && err.reason === 'AlreadyExists';
}
