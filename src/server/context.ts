// What the filters of the request pipeline share about one request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserInfo } from '../api/user.js';
import type { Upgrade } from '../registry/resource.js';
import type { RequestInfo } from './request-info.js';
import type { OpContext } from '../api/operations.js';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  info: RequestInfo;
  /** When the request arrived (performance.now()). */
  received: number;
  /** The identity the request acts as (after impersonation). */
  user?: UserInfo;
  /** The identity that authenticated (differs from `user` when impersonating). */
  authenticated?: UserInfo;
  /** Texts for `Warning: 299 - "…"` response headers. */
  warnings: string[];
  /** Set for a request that asked to switch protocols (`res` then writes to the raw socket). */
  upgrade?: Upgrade;
  /** The request's audit ID (the Audit-Id header of the reply). */
  auditID?: string;
  /** Annotations of the request's audit event: authorization's decision, admission's (shared with op()). */
  auditAnnotations: Record<string, string>;
  /** Set when the request is audited: the handlers hand it the request and reply objects. */
  audit?: AuditHooks;
  op(): OpContext;
}

export interface AuditHooks {
  requestObject(obj: unknown): void;
  requestPatch(patch: unknown): void;
  responseObject(obj: unknown): void;
}

/** One step of the pipeline; calls `next` to hand the request on. */
export type Filter = (rc: RequestContext, next: () => Promise<void>) => Promise<void>;

/** Runs the filters in order; the last one answers. */
export function compose(filters: Filter[]): (rc: RequestContext) => Promise<void> {
  return (rc) => {
    const run = (i: number): Promise<void> => (i < filters.length ? filters[i]!(rc, () => run(i + 1)) : Promise.resolve());
    return run(0);
  };
}
