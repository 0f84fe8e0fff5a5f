// The pod's and the containers' security contexts: user and group ids, sysctls, seccomp and
// AppArmor profiles, privilege escalation.
import { duplicate, invalid, notSupported, required, tooLong, type FieldError } from '../../../api/field-errors.js';
import { inclusiveRangeError } from '../../../api/validation.js';
import { localDescendingPath } from './field-checks.js';
import { byteLen, MAX_INT32 } from './values.js';
import { list, num, obj, type Obj, str } from '../../narrow.js';

const SECCOMP_TYPES = ['Localhost', 'RuntimeDefault', 'Unconfined'];
const PROC_MOUNT_TYPES = ['Default', 'Unmasked'];

function validateSeccompProfile(sp: unknown, path: string): FieldError[] {
  const p = obj(sp);
  if (!p) return [];
  const errs: FieldError[] = [];
  const type = str(p.type);
  if (!type) errs.push(required(`${path}.type`, 'type is required when seccompProfile is set'));
  else if (!SECCOMP_TYPES.includes(type)) errs.push(notSupported(`${path}.type`, type, SECCOMP_TYPES));
  if (type === 'Localhost') {
    if (p.localhostProfile === undefined) errs.push(required(`${path}.localhostProfile`, 'must be set when seccomp type is Localhost'));
    else errs.push(...localDescendingPath(str(p.localhostProfile), `${path}.localhostProfile`));
  } else if (p.localhostProfile !== undefined) {
    errs.push(invalid(`${path}.localhostProfile`, p, 'can only be set when seccomp type is Localhost'));
  }
  return errs;
}

function validateAppArmorProfile(ap: unknown, path: string): FieldError[] {
  const p = obj(ap);
  if (!p) return [];
  const type = str(p.type);
  switch (type) {
    case 'Localhost': {
      if (p.localhostProfile === undefined) return [required(`${path}.localhostProfile`, 'must be set when AppArmor type is Localhost')];
      const profile = str(p.localhostProfile);
      const errs: FieldError[] = [];
      if (profile.trim() !== profile) errs.push(invalid(`${path}.localhostProfile`, profile, 'must not be padded with whitespace'));
      else if (profile === '') errs.push(required(`${path}.localhostProfile`, 'must be set when AppArmor type is Localhost'));
      if (byteLen(profile) > 4095) errs.push(tooLong(`${path}.localhostProfile`, 4095));
      return errs;
    }
    case 'RuntimeDefault':
    case 'Unconfined':
      return p.localhostProfile !== undefined ? [invalid(`${path}.localhostProfile`, p.localhostProfile, 'can only be set when AppArmor type is Localhost')] : [];
    case '':
      return [required(`${path}.type`, 'type is required when appArmorProfile is set')];
    default:
      return [notSupported(`${path}.type`, type, SECCOMP_TYPES)];
  }
}

function idRange(value: unknown, path: string): FieldError[] {
  const n = num(value);
  return n !== undefined && (n < 0 || n > MAX_INT32) ? [invalid(path, n, inclusiveRangeError(0, MAX_INT32))] : [];
}

export function validateContainerSecurityContext(sc: unknown, path: string, hostUsers: boolean): FieldError[] {
  const s = obj(sc);
  if (!s) return [];
  const errs: FieldError[] = [...idRange(s.runAsUser, `${path}.runAsUser`), ...idRange(s.runAsGroup, `${path}.runAsGroup`)];
  if (s.procMount !== undefined) {
    const pm = str(s.procMount);
    if (!PROC_MOUNT_TYPES.includes(pm)) errs.push(notSupported(`${path}.procMount`, pm, PROC_MOUNT_TYPES));
    if (hostUsers && pm === 'Unmasked') errs.push(invalid(`${path}.procMount`, pm, '`hostUsers` must be false to use `Unmasked`'));
  }
  errs.push(...validateSeccompProfile(s.seccompProfile, `${path}.seccompProfile`));
  if (s.allowPrivilegeEscalation === false) {
    if (s.privileged === true) errs.push(invalid(path, s, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    for (const cap of list(obj(s.capabilities)?.add)) {
      if (cap === 'CAP_SYS_ADMIN') errs.push(invalid(path, s, 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
    }
  }
  errs.push(...validateAppArmorProfile(s.appArmorProfile, `${path}.appArmorProfile`));
  return errs;
}

const FS_GROUP_CHANGE_POLICIES = ['Always', 'OnRootMismatch'];
const SYSCTL_SEGMENT = '[a-z0-9]([-_a-z0-9]*[a-z0-9])?';
const SYSCTL_RE = new RegExp(`^(${SYSCTL_SEGMENT}[\\./])*${SYSCTL_SEGMENT}$`);

export function validatePodSecurityContext(spec: Obj, path: string): FieldError[] {
  const sc = obj(spec.securityContext);
  if (!sc) return [];
  const errs: FieldError[] = [...idRange(sc.fsGroup, `${path}.fsGroup`), ...idRange(sc.runAsUser, `${path}.runAsUser`), ...idRange(sc.runAsGroup, `${path}.runAsGroup`)];
  list(sc.supplementalGroups).forEach((g, i) => errs.push(...idRange(g, `${path}.supplementalGroups[${i}]`)));
  if (spec.shareProcessNamespace === true && spec.hostPID === true) {
    errs.push(invalid(`${path}.shareProcessNamespace`, true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  }
  const names = new Set<string>();
  list(sc.sysctls).forEach((raw, i) => {
    const name = str(obj(raw)?.name);
    const p = `${path}.sysctls[${i}].name`;
    if (!name) errs.push(required(p));
    else if (byteLen(name) > 253 || !SYSCTL_RE.test(name)) {
      errs.push(invalid(p, name, `must have at most 253 characters and match regex ^(${SYSCTL_SEGMENT}[\\./])*${SYSCTL_SEGMENT}$`));
    } else if (names.has(name)) errs.push(duplicate(p, name));
    const ns = name.startsWith('net.') ? 'net' : name.startsWith('kernel.shm') || name.startsWith('kernel.msg') || name.startsWith('kernel.sem') || name.startsWith('fs.mqueue.') ? 'ipc' : '';
    if (spec.hostNetwork === true && ns === 'net') errs.push(invalid(p, name, "may not be specified when 'hostNetwork' is true"));
    else if (spec.hostIPC === true && ns === 'ipc') errs.push(invalid(p, name, "may not be specified when 'hostIPC' is true"));
    names.add(name);
  });
  if (sc.fsGroupChangePolicy !== undefined && !FS_GROUP_CHANGE_POLICIES.includes(str(sc.fsGroupChangePolicy))) {
    errs.push(notSupported(`${path}.fsGroupChangePolicy`, sc.fsGroupChangePolicy, FS_GROUP_CHANGE_POLICIES));
  }
  errs.push(...validateSeccompProfile(sc.seccompProfile, `${path}.seccompProfile`));
  errs.push(...validateAppArmorProfile(sc.appArmorProfile, `${path}.appArmorProfile`));
  return errs;
}
