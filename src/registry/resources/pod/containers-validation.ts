// Containers, init containers and ephemeral containers of ValidatePodSpec: names, image, ports,
// mounts and devices, and what each kind of container may or may not set.
import { duplicate, forbidden, invalid, notFound, notSupported, required, type FieldError } from '../../../api/field-errors.js';
import { isObject } from '../../../api/meta.js';
import { isValidPortName, isValidPortNum } from '../../../api/validation.js';
import { validateEnv, validateEnvFrom } from './env-validation.js';
import { dns1123Label, localDescendingPath, noBacksteps } from './field-checks.js';
import { validateLifecycle, validateProbe } from './handlers-validation.js';
import { validateResources } from './resources-validation.js';
import { validateContainerSecurityContext } from './security-context-validation.js';
import { list, num, obj, type Obj, str } from '../../narrow.js';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function validatePorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list(ports).forEach((raw, i) => {
    const port = obj(raw) ?? {};
    const idx = `${path}[${i}]`;
    const name = str(port.name);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length) for (const m of msgs) errs.push(invalid(`${idx}.name`, name, m));
      else if (names.has(name)) errs.push(duplicate(`${idx}.name`, name));
      else names.add(name);
    }
    const containerPort = num(port.containerPort) ?? 0;
    if (containerPort === 0) errs.push(required(`${idx}.containerPort`));
    else for (const m of isValidPortNum(containerPort)) errs.push(invalid(`${idx}.containerPort`, containerPort, m));
    const hostPort = num(port.hostPort) ?? 0;
    if (hostPort !== 0) for (const m of isValidPortNum(hostPort)) errs.push(invalid(`${idx}.hostPort`, hostPort, m));
    const protocol = str(port.protocol);
    if (!protocol) errs.push(required(`${idx}.protocol`));
    else if (!PROTOCOLS.includes(protocol)) errs.push(notSupported(`${idx}.protocol`, protocol, PROTOCOLS));
  });
  return errs;
}

const MOUNT_PROPAGATIONS = ['Bidirectional', 'HostToContainer', 'None'];
const RECURSIVE_READ_ONLY = ['Disabled', 'Enabled', 'IfPossible'];

function validateVolumeMounts(mounts: unknown, devices: Map<string, string>, vols: Map<string, Obj>, container: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  const devicePaths = new Set(devices.values());
  list(mounts).forEach((raw, i) => {
    const mnt = obj(raw) ?? {};
    const idx = `${path}[${i}]`;
    const name = str(mnt.name);
    const mountPath = str(mnt.mountPath);
    if (!name) errs.push(required(`${idx}.name`));
    if (!vols.has(name)) errs.push(notFound(`${idx}.name`, name));
    if (!mountPath) errs.push(required(`${idx}.mountPath`));
    if (mountPoints.has(mountPath)) errs.push(invalid(`${idx}.mountPath`, mountPath, 'must be unique'));
    mountPoints.add(mountPath);
    if (devices.has(name)) errs.push(invalid(`${idx}.name`, name, 'must not already exist in volumeDevices'));
    if (devicePaths.has(mountPath)) errs.push(invalid(`${idx}.mountPath`, mountPath, 'must not already exist as a path in volumeDevices'));
    if (vols.get(name)?.image !== undefined) {
      if (str(mnt.subPath)) errs.push(invalid(`${idx}.subPath`, mnt.subPath, 'not allowed in image volume sources'));
      if (str(mnt.subPathExpr)) errs.push(invalid(`${idx}.subPathExpr`, mnt.subPathExpr, 'not allowed in image volume sources'));
    }
    if (str(mnt.subPath)) errs.push(...localDescendingPath(str(mnt.subPath), `${path}.subPath`));
    if (str(mnt.subPathExpr)) {
      if (str(mnt.subPath)) errs.push(invalid(`${idx}.subPathExpr`, mnt.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      errs.push(...localDescendingPath(str(mnt.subPathExpr), `${path}.subPathExpr`));
    }
    if (mnt.mountPropagation !== undefined) {
      const mp = str(mnt.mountPropagation);
      const pp = `${path}.mountPropagation`;
      if (!MOUNT_PROPAGATIONS.includes(mp)) errs.push(notSupported(pp, mp, MOUNT_PROPAGATIONS));
      const privileged = obj(container.securityContext)?.privileged === true;
      if (mp === 'Bidirectional' && !privileged) errs.push(forbidden(pp, 'Bidirectional mount propagation is available only to privileged containers'));
    }
    if (mnt.recursiveReadOnly !== undefined) {
      const rro = str(mnt.recursiveReadOnly);
      const rp = `${path}.recursiveReadOnly`;
      if (rro === 'Enabled' || rro === 'IfPossible') {
        if (mnt.readOnly !== true) errs.push(forbidden(rp, 'may only be specified when readOnly is true'));
        if (mnt.mountPropagation !== undefined && mnt.mountPropagation !== 'None') {
          errs.push(forbidden(rp, 'may only be specified when mountPropagation is None or not specified'));
        }
      } else if (rro !== 'Disabled') errs.push(notSupported(rp, rro, RECURSIVE_READ_ONLY));
    }
  });
  return errs;
}

function validateVolumeDevices(devices: unknown, mounts: Map<string, string>, vols: Map<string, Obj>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  const names = new Set<string>();
  const mountPaths = new Set(mounts.values());
  list(devices).forEach((raw, i) => {
    const dev = obj(raw) ?? {};
    const idx = `${path}[${i}]`;
    const name = str(dev.name);
    const devicePath = str(dev.devicePath);
    const vol = vols.get(name);
    const isPVC = vol !== undefined && (vol.persistentVolumeClaim !== undefined || vol.ephemeral !== undefined);
    if (!name) errs.push(required(`${idx}.name`));
    if (names.has(name)) errs.push(invalid(`${idx}.name`, name, 'must be unique'));
    if (vol && !isPVC) errs.push(invalid(`${idx}.name`, name, 'can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode'));
    if (!vol) errs.push(notFound(`${idx}.name`, name));
    if (!devicePath) errs.push(required(`${idx}.devicePath`));
    if (paths.has(devicePath)) errs.push(invalid(`${idx}.devicePath`, devicePath, 'must be unique'));
    if (devicePath && noBacksteps(devicePath, '').length) errs.push(invalid(`${idx}.devicePath`, devicePath, "can not contain backsteps ('..')"));
    else paths.add(devicePath);
    if (mounts.has(name)) errs.push(invalid(`${idx}.name`, name, 'must not already exist in volumeMounts'));
    if (mountPaths.has(devicePath)) errs.push(invalid(`${idx}.devicePath`, devicePath, 'must not already exist as a path in volumeMounts'));
    if (name) names.add(name);
  });
  return errs;
}

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];

const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];

function validateContainerCommon(c: Obj, vols: Map<string, Obj>, path: string, hostUsers: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(c.name);
  if (!name) errs.push(required(`${path}.name`));
  else errs.push(...dns1123Label(name, `${path}.name`));
  if (!str(c.image)) errs.push(required(`${path}.image`));
  const tmp = str(c.terminationMessagePolicy);
  if (!tmp) errs.push(required(`${path}.terminationMessagePolicy`));
  else if (!TERMINATION_MESSAGE_POLICIES.includes(tmp)) errs.push(notSupported(`${path}.terminationMessagePolicy`, tmp, TERMINATION_MESSAGE_POLICIES));
  const mounts = new Map(list(c.volumeMounts).map((m) => [str(obj(m)?.name), str(obj(m)?.mountPath)] as [string, string]));
  const devices = new Map(list(c.volumeDevices).map((d) => [str(obj(d)?.name), str(obj(d)?.devicePath)] as [string, string]));
  errs.push(...validatePorts(c.ports, `${path}.ports`));
  errs.push(...validateEnv(c.env, `${path}.env`));
  errs.push(...validateEnvFrom(c.envFrom, `${path}.envFrom`));
  errs.push(...validateVolumeMounts(c.volumeMounts, devices, vols, c, `${path}.volumeMounts`));
  errs.push(...validateVolumeDevices(c.volumeDevices, mounts, vols, `${path}.volumeDevices`));
  const pull = str(c.imagePullPolicy);
  if (!pull) errs.push(required(`${path}.imagePullPolicy`));
  else if (!PULL_POLICIES.includes(pull)) errs.push(notSupported(`${path}.imagePullPolicy`, pull, PULL_POLICIES));
  errs.push(...validateResources(obj(c.resources) ?? {}, `${path}.resources`));
  errs.push(...validateContainerSecurityContext(c.securityContext, `${path}.securityContext`, hostUsers));
  return errs;
}

/** Host ports must not collide (protocol/hostIP/port). */
function hostPortConflicts(containers: Obj[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((c, ci) => {
    list(c.ports).forEach((raw, pi) => {
      const p = obj(raw) ?? {};
      const hostPort = num(p.hostPort) ?? 0;
      if (!hostPort) return;
      const key = `${str(p.protocol)}/${str(p.hostIP)}/${hostPort}`;
      if (seen.has(key)) errs.push(duplicate(`${path}[${ci}].ports[${pi}].hostPort`, key));
      else seen.add(key);
    });
  });
  return errs;
}

export function validateContainers(containers: unknown, vols: Map<string, Obj>, grace: number | undefined, path: string, hostUsers: boolean): FieldError[] {
  const cs = list(containers);
  if (cs.length === 0) return [required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  cs.forEach((raw, i) => {
    const c = obj(raw) ?? {};
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, vols, p, hostUsers));
    const name = str(c.name);
    if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
    else names.add(name);
    if (obj(c.lifecycle)) errs.push(...validateLifecycle(obj(c.lifecycle)!, grace, `${p}.lifecycle`));
    errs.push(...validateProbe(c.livenessProbe, grace, `${p}.livenessProbe`, 'liveness'));
    errs.push(...validateProbe(c.readinessProbe, grace, `${p}.readinessProbe`, 'readiness'));
    errs.push(...validateProbe(c.startupProbe, grace, `${p}.startupProbe`, 'startup'));
    if (c.restartPolicy !== undefined) errs.push(forbidden(`${p}.restartPolicy`, 'may not be set for non-init containers'));
  });
  errs.push(...hostPortConflicts(cs.map((c) => obj(c) ?? {}), path));
  return errs;
}

export function validateInitContainers(inits: unknown, regular: unknown, vols: Map<string, Obj>, grace: number | undefined, path: string, hostUsers: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set(list(regular).map((c) => str(obj(c)?.name)));
  list(inits).forEach((raw, i) => {
    const c = obj(raw) ?? {};
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, vols, p, hostUsers));
    let restartAlways = false;
    if (c.restartPolicy !== undefined) {
      if (c.restartPolicy !== 'Always') errs.push(notSupported(`${p}.restartPolicy`, c.restartPolicy, ['Always']));
      restartAlways = c.restartPolicy === 'Always';
    }
    const name = str(c.name);
    if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
    else if (name) names.add(name);
    // Init containers run one at a time: each is checked alone (and named as the first).
    errs.push(...hostPortConflicts([c], path));
    if (restartAlways) {
      if (obj(c.lifecycle)) errs.push(...validateLifecycle(obj(c.lifecycle)!, grace, `${p}.lifecycle`));
      errs.push(...validateProbe(c.livenessProbe, grace, `${p}.livenessProbe`, 'liveness'));
      errs.push(...validateProbe(c.readinessProbe, grace, `${p}.readinessProbe`, 'readiness'));
      errs.push(...validateProbe(c.startupProbe, grace, `${p}.startupProbe`, 'startup'));
    } else {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (c[f] !== undefined) errs.push(forbidden(`${p}.${f}`, 'may not be set for init containers without restartPolicy=Always'));
      }
    }
  });
  return errs;
}

/** Fields of an ephemeral container that must keep their zero value, in Go field order. */
const EPHEMERAL_FORBIDDEN = ['ports', 'resources', 'resizePolicy', 'restartPolicy', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle'];

function isZeroValue(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return false;
  return isObject(v) && Object.values(v).every(isZeroValue);
}

export function validateEphemeralContainers(ephemeral: unknown, spec: Obj, vols: Map<string, Obj>, path: string, hostUsers: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const others = new Set([...list(spec.containers), ...list(spec.initContainers)].map((c) => str(obj(c)?.name)));
  const all = new Set(others);
  list(ephemeral).forEach((raw, i) => {
    const c = obj(raw) ?? {};
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, vols, p, hostUsers));
    if (str(c.image).trim() !== str(c.image)) errs.push(invalid(`${p}.image`, c.image, 'must not have leading or trailing whitespace'));
    const name = str(c.name);
    if (all.has(name)) errs.push(duplicate(`${p}.name`, name));
    else all.add(name);
    const target = str(c.targetContainerName);
    if (target && !others.has(target)) errs.push(notFound(`${p}.targetContainerName`, target));
    for (const f of EPHEMERAL_FORBIDDEN) if (!isZeroValue(c[f])) errs.push(forbidden(`${p}.${f}`, 'cannot be set for an Ephemeral Container'));
    list(c.volumeMounts).forEach((m, j) => {
      if (str(obj(m)?.subPath)) errs.push(forbidden(`${p}.volumeMounts[${j}].subPath`, 'cannot be set for an Ephemeral Container'));
      if (str(obj(m)?.subPathExpr)) errs.push(forbidden(`${p}.volumeMounts[${j}].subPathExpr`, 'cannot be set for an Ephemeral Container'));
    });
  });
  return errs;
}
