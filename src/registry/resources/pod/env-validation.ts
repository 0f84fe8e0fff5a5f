// A container's env and envFrom.
import { invalid, required, type FieldError } from '../../../api/field-errors.js';
import { isConfigMapKey, validateName } from '../../../api/validation.js';
import { ENV_FIELD_PATHS, validateObjectFieldSelector, validateResourceFieldSelector } from './downward-api-validation.js';
import { list, obj, type Obj, str } from '../../narrow.js';

/** IsRelaxedEnvVarName (RelaxedEnvironmentVariableValidation is on in 1.32). */
function relaxedEnvVarName(name: string): string[] {
  const errs: string[] = [];
  if (name.length === 0) errs.push('environment variable name must be non-empty');
  for (const ch of name) {
    const code = ch.codePointAt(0)!;
    if (code > 0x7e || code < 0x20 || ch === '=') {
      errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='");
      break;
    }
  }
  return errs;
}

function validateKeySelector(sel: Obj, path: string): FieldError[] {
  const errs = validateName(str(sel.name), 'subdomain', false).map((m) => invalid(`${path}.name`, str(sel.name), m));
  const key = str(sel.key);
  if (!key) errs.push(required(`${path}.key`));
  else for (const m of isConfigMapKey(key)) errs.push(invalid(`${path}.key`, key, m));
  return errs;
}

export function validateEnv(env: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  list(env).forEach((raw, i) => {
    const ev = obj(raw) ?? {};
    const idx = `${path}[${i}]`;
    const name = str(ev.name);
    if (!name) errs.push(required(`${idx}.name`));
    else for (const m of relaxedEnvVarName(name)) errs.push(invalid(`${idx}.name`, name, m));
    const from = obj(ev.valueFrom);
    if (!from) return;
    const fp = `${idx}.valueFrom`;
    let sources = 0;
    if (obj(from.fieldRef)) {
      sources++;
      errs.push(...validateObjectFieldSelector(obj(from.fieldRef)!, ENV_FIELD_PATHS, `${fp}.fieldRef`));
    }
    if (obj(from.resourceFieldRef)) {
      sources++;
      errs.push(...validateResourceFieldSelector(obj(from.resourceFieldRef)!, `${fp}.resourceFieldRef`, false));
    }
    if (obj(from.configMapKeyRef)) {
      sources++;
      errs.push(...validateKeySelector(obj(from.configMapKeyRef)!, `${fp}.configMapKeyRef`));
    }
    if (obj(from.secretKeyRef)) {
      sources++;
      errs.push(...validateKeySelector(obj(from.secretKeyRef)!, `${fp}.secretKeyRef`));
    }
    if (sources === 0) errs.push(invalid(fp, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (str(ev.value)) errs.push(invalid(fp, '', 'may not be specified when `value` is not empty'));
    else if (sources > 1) errs.push(invalid(fp, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

export function validateEnvFrom(envFrom: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  list(envFrom).forEach((raw, i) => {
    const ev = obj(raw) ?? {};
    const idx = `${path}[${i}]`;
    const prefix = str(ev.prefix);
    if (prefix) for (const m of relaxedEnvVarName(prefix)) errs.push(invalid(`${idx}.prefix`, prefix, m));
    let sources = 0;
    for (const key of ['configMapRef', 'secretRef']) {
      const ref = obj(ev[key]);
      if (!ref) continue;
      sources++;
      const name = str(ref.name);
      if (!name) errs.push(required(`${idx}.${key}.name`));
      else for (const m of validateName(name, 'subdomain', true)) errs.push(invalid(`${idx}.${key}.name`, name, m));
    }
    if (sources === 0) errs.push(invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (sources > 1) errs.push(invalid(path, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}
