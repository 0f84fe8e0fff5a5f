// Small field checks the PodSpec validation shares: names, IPs, file modes and paths.
import { isIP } from 'node:net';
import { invalid, type FieldError } from '../../../api/field-errors.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from '../../../api/validation.js';
import { num } from '../../narrow.js';

const FILE_MODE_MSG = 'must be a number between 0 and 0777 (octal), both inclusive';
export const NEGATIVE_MSG = 'must be greater than or equal to 0';
export const NOT_POSITIVE_MSG = 'must be greater than zero';

export function nonnegative(value: unknown, path: string): FieldError[] {
  const n = num(value) ?? 0;
  return n < 0 ? [invalid(path, n, NEGATIVE_MSG)] : [];
}

export function dns1123Label(value: string, path: string): FieldError[] {
  return isDNS1123Label(value).map((m) => invalid(path, value, m));
}

export function dns1123Subdomain(value: string, path: string): FieldError[] {
  return isDNS1123Subdomain(value).map((m) => invalid(path, value, m));
}

export function qualifiedName(value: string, path: string): FieldError[] {
  return isQualifiedName(value).map((m) => invalid(path, value, m));
}

export function validIP(value: string, path: string): FieldError[] {
  return isIP(value) ? [] : [invalid(path, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];
}

export function fileMode(value: unknown, path: string): FieldError[] {
  const n = num(value);
  return n !== undefined && (n > 0o777 || n < 0) ? [invalid(path, n, FILE_MODE_MSG)] : [];
}

/** path.IsAbs and the ".." element check (validateLocalDescendingPath). */
export function localDescendingPath(target: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith('/')) errs.push(invalid(path, target, 'must be a relative path'));
  errs.push(...noBacksteps(target, path));
  return errs;
}

export function noBacksteps(target: string, path: string): FieldError[] {
  return target.split('/').includes('..') ? [invalid(path, target, "must not contain '..'")] : [];
}

export function localNonReservedPath(target: string, path: string): FieldError[] {
  const errs = localDescendingPath(target, path);
  if (target.startsWith('..') && !target.startsWith('../')) errs.push(invalid(path, target, "must not start with '..'"));
  return errs;
}
