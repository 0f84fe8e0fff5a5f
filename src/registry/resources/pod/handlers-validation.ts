// Probes and lifecycle hooks: each is a handler with exactly one action (validateHandler).
import { forbidden, invalid, notSupported, required, type FieldError } from '../../../api/field-errors.js';
import { isHTTPHeaderName, isValidPortName, isValidPortNum } from '../../../api/validation.js';
import { nonnegative } from './field-checks.js';
import { list, num, obj, type Obj, str } from '../../narrow.js';

function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => invalid(path, port, m));
  return isValidPortName(str(port)).map((m) => invalid(path, str(port), m));
}

const HTTP_SCHEMES = ['HTTP', 'HTTPS'];

/** validateHandler: exactly one action of a probe or lifecycle hook. */
function validateHandler(h: Obj, grace: number | undefined, path: string, sleepAllowed: boolean): FieldError[] {
  const errs: FieldError[] = [];
  let handlers = 0;
  const kinds = sleepAllowed ? ['exec', 'httpGet', 'tcpSocket', 'sleep'] : ['exec', 'httpGet', 'tcpSocket', 'grpc'];
  for (const kind of kinds) {
    const action = obj(h[kind]);
    if (!action) continue;
    const p = `${path}.${kind}`;
    if (handlers > 0) {
      errs.push(forbidden(p, 'may not specify more than 1 handler type'));
      continue;
    }
    handlers++;
    switch (kind) {
      case 'exec':
        if (!list(action.command).length) errs.push(required(`${p}.command`));
        break;
      case 'httpGet':
        if (!str(action.path)) errs.push(required(`${p}.path`));
        errs.push(...validatePortNumOrName(action.port, `${p}.port`));
        if (!HTTP_SCHEMES.includes(str(action.scheme))) errs.push(notSupported(`${p}.scheme`, str(action.scheme), HTTP_SCHEMES));
        for (const header of list(action.httpHeaders)) {
          const name = str(obj(header)?.name);
          for (const m of isHTTPHeaderName(name)) errs.push(invalid(`${p}.httpHeaders`, name, m));
        }
        break;
      case 'tcpSocket':
        errs.push(...validatePortNumOrName(action.port, `${p}.port`));
        break;
      case 'grpc':
        errs.push(...validatePortNumOrName(num(action.port) ?? 0, `${p}.port`));
        break;
      case 'sleep': {
        const seconds = num(action.seconds) ?? 0;
        if (grace !== undefined && (seconds <= 0 || seconds > grace)) {
          errs.push(
            invalid(p, seconds, `must be greater than 0 and less than terminationGracePeriodSeconds (${grace}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.`),
          );
        }
        break;
      }
    }
  }
  if (handlers === 0) errs.push(required(path, 'must specify a handler type'));
  return errs;
}

export function validateProbe(probe: unknown, grace: number | undefined, path: string, kind: 'liveness' | 'readiness' | 'startup'): FieldError[] {
  const p = obj(probe);
  if (!p) return [];
  const errs = validateHandler(p, grace, path, false);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    errs.push(...nonnegative(p[f], `${path}.${f}`));
  }
  const tgps = num(p.terminationGracePeriodSeconds);
  if (tgps !== undefined && tgps <= 0) errs.push(invalid(`${path}.terminationGracePeriodSeconds`, tgps, 'must be greater than 0'));
  if (kind !== 'readiness' && (num(p.successThreshold) ?? 0) !== 1) errs.push(invalid(`${path}.successThreshold`, num(p.successThreshold) ?? 0, 'must be 1'));
  if (kind === 'readiness' && p.terminationGracePeriodSeconds !== undefined) {
    errs.push(invalid(`${path}.terminationGracePeriodSeconds`, p.terminationGracePeriodSeconds, 'must not be set for readinessProbes'));
  }
  return errs;
}

export function validateLifecycle(lc: Obj, grace: number | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const hook of ['postStart', 'preStop']) {
    const h = obj(lc[hook]);
    if (h) errs.push(...validateHandler(h, grace, `${path}.${hook}`, true));
  }
  return errs;
}
