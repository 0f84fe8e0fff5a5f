// validateVolumes of ValidatePodSpec: one source per volume, each source's own checks, in the
// order and with the messages of Kubernetes 1.32.
import { duplicate, forbidden, invalid, notSupported, required, tooLong, type FieldError } from '../../../api/field-errors.js';
import { isObject, type ObjectMeta } from '../../../api/meta.js';
import { parseQuantity } from '../../../api/quantity.js';
import { isDNS1123Subdomain, validateName } from '../../../api/validation.js';
import { validateObjectFieldSelector, validateResourceFieldSelector, VOLUME_FIELD_PATHS } from './downward-api-validation.js';
import { dns1123Label, fileMode, localDescendingPath, localNonReservedPath, noBacksteps } from './field-checks.js';
import { list, num, obj, type Obj, str } from '../../narrow.js';

function validateKeyToPath(kp: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!str(kp.key)) errs.push(required(`${path}.key`));
  if (!str(kp.path)) errs.push(required(`${path}.path`));
  errs.push(...localNonReservedPath(str(kp.path), `${path}.path`));
  errs.push(...fileMode(kp.mode, `${path}.mode`));
  return errs;
}

function validateDownwardAPIFile(file: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!str(file.path)) errs.push(required(`${path}.path`));
  errs.push(...localNonReservedPath(str(file.path), `${path}.path`));
  const fieldRef = obj(file.fieldRef);
  const resourceRef = obj(file.resourceFieldRef);
  if (fieldRef) {
    errs.push(...validateObjectFieldSelector(fieldRef, VOLUME_FIELD_PATHS, `${path}.fieldRef`));
    if (resourceRef) errs.push(invalid(path, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
  } else if (resourceRef) errs.push(...validateResourceFieldSelector(resourceRef, `${path}.resourceFieldRef`, true));
  else errs.push(required(path, 'one of fieldRef and resourceFieldRef is required'));
  errs.push(...fileMode(file.mode, `${path}.mode`));
  return errs;
}

function validateProjected(p: Obj, path: string): FieldError[] {
  const errs = fileMode(p.defaultMode, `${path}.defaultMode`);
  const allPaths = new Set<string>();
  list(p.sources).forEach((raw, i) => {
    const source = obj(raw) ?? {};
    const srcPath = `${path}.sources[${i}]`;
    let sources = 0;
    for (const kind of ['secret', 'configMap'] as const) {
      const s = obj(source[kind]);
      if (!s) continue;
      sources++;
      const projPath = `${srcPath}.${kind}`;
      if (!str(s.name)) errs.push(required(`${projPath}.name`));
      list(s.items).forEach((item, j) => {
        const kp = obj(item) ?? {};
        errs.push(...validateKeyToPath(kp, `${projPath}.items[${j}]`));
        const target = str(kp.path);
        if (target) {
          if (allPaths.has(target)) errs.push(invalid(path, str(s.name), 'conflicting duplicate paths'));
          else allPaths.add(target);
        }
      });
    }
    const downward = obj(source.downwardAPI);
    if (downward) {
      sources++;
      for (const item of list(downward.items)) {
        const file = obj(item) ?? {};
        errs.push(...validateDownwardAPIFile(file, `${srcPath}.downwardAPI`));
        const target = str(file.path);
        if (target) {
          if (allPaths.has(target)) errs.push(invalid(path, target, 'conflicting duplicate paths'));
          else allPaths.add(target);
        }
      }
    }
    const token = obj(source.serviceAccountToken);
    if (token) {
      sources++;
      const exp = num(token.expirationSeconds) ?? 0;
      if (exp < 600) errs.push(invalid(`${srcPath}.serviceAccountToken.expirationSeconds`, exp, 'may not specify a duration less than 10 minutes'));
      if (exp > 2 ** 32) errs.push(invalid(`${srcPath}.serviceAccountToken.expirationSeconds`, exp, 'may not specify a duration larger than 2^32 seconds'));
      if (!str(token.path)) errs.push(required(`${path}.path`));
      else errs.push(...localNonReservedPath(str(token.path), `${path}.path`));
    }
    if (source.clusterTrustBundle !== undefined) sources++;
    if (sources > 1) errs.push(forbidden(srcPath, 'may not specify more than 1 volume type per source'));
  });
  return errs;
}

const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];

/** Sources with nothing but required fields to check, by key: [path segment, required fields]. */
const SIMPLE_SOURCES: Record<string, [string, string[]]> = {
  gcePersistentDisk: ['persistentDisk', ['pdName']],
  awsElasticBlockStore: ['awsElasticBlockStore', ['volumeID']],
  glusterfs: ['glusterfs', ['endpoints', 'path']],
  rbd: ['rbd', ['monitors', 'image']],
  cinder: ['cinder', ['volumeID']],
  cephfs: ['cephfs', ['monitors']],
  flexVolume: ['flexVolume', ['driver']],
  azureFile: ['azureFile', ['secretName', 'shareName']],
  vsphereVolume: ['vsphereVolume', ['volumePath']],
  photonPersistentDisk: ['photonPersistentDisk', ['pdID']],
  portworxVolume: ['portworxVolume', ['volumeID']],
  scaleIO: ['scaleIO', ['gateway', 'system', 'volumeName']],
  storageos: ['storageos', ['volumeName']],
  quobyte: ['quobyte', ['registry', 'volume']],
  iscsi: ['iscsi', ['targetPortal', 'iqn']],
};

/** The order validateVolumeSource checks sources in, and the path its "more than 1" error names. */
const SOURCE_ORDER: [string, string][] = [
  ['emptyDir', 'emptyDir'], ['hostPath', 'hostPath'], ['gitRepo', 'gitRepo'], ['gcePersistentDisk', 'gcePersistentDisk'],
  ['awsElasticBlockStore', 'awsElasticBlockStore'], ['secret', 'secret'], ['nfs', 'nfs'], ['iscsi', 'iscsi'], ['glusterfs', 'glusterfs'],
  ['flocker', 'flocker'], ['persistentVolumeClaim', 'persistentVolumeClaim'], ['rbd', 'rbd'], ['cinder', 'cinder'], ['cephfs', 'cephFS'],
  ['quobyte', 'quobyte'], ['downwardAPI', 'downwarAPI'], ['fc', 'fc'], ['flexVolume', 'flexVolume'], ['configMap', 'configMap'],
  ['azureFile', 'azureFile'], ['vsphereVolume', 'vsphereVolume'], ['photonPersistentDisk', 'photonPersistentDisk'],
  ['portworxVolume', 'portworxVolume'], ['azureDisk', 'azureDisk'], ['storageos', 'storageos'], ['projected', 'projected'],
  ['scaleIO', 'scaleIO'], ['csi', 'csi'], ['ephemeral', 'ephemeral'], ['image', 'image'],
];

/** The checks of one volume source at `path` (its parent); PersistentVolumes share them for the sources they have too. */
export function validateSource(key: string, src: Obj, path: string, volName = '', podMeta?: ObjectMeta): FieldError[] {
  const errs: FieldError[] = [];
  const p = `${path}.${key}`;
  switch (key) {
    case 'emptyDir': {
      const limit = parseQuantity(src.sizeLimit);
      if (limit && limit.num < 0n) errs.push(forbidden(`${p}.sizeLimit`, 'SizeLimit field must be a valid resource quantity'));
      break;
    }
    case 'hostPath':
      if (!str(src.path)) return [required(`${p}.path`)];
      errs.push(...noBacksteps(str(src.path), `${p}.path`));
      if (src.type !== undefined && !HOST_PATH_TYPES.includes(str(src.type))) errs.push(notSupported(`${p}.type`, src.type, HOST_PATH_TYPES));
      break;
    case 'gitRepo':
      if (!str(src.repository)) errs.push(required(`${p}.repository`));
      errs.push(...localDescendingPath(str(src.directory), `${p}.directory`));
      break;
    case 'secret':
      if (!str(src.secretName)) errs.push(required(`${p}.secretName`));
      errs.push(...fileMode(src.defaultMode, `${p}.defaultMode`));
      list(src.items).forEach((kp, i) => errs.push(...validateKeyToPath(obj(kp) ?? {}, `${p}.items[${i}]`)));
      break;
    case 'configMap':
      if (!str(src.name)) errs.push(required(`${p}.name`));
      errs.push(...fileMode(src.defaultMode, `${p}.defaultMode`));
      list(src.items).forEach((kp, i) => errs.push(...validateKeyToPath(obj(kp) ?? {}, `${p}.items[${i}]`)));
      break;
    case 'nfs':
      if (!str(src.server)) errs.push(required(`${p}.server`));
      if (!str(src.path)) errs.push(required(`${p}.path`));
      if (!str(src.path).startsWith('/')) errs.push(invalid(`${p}.path`, str(src.path), 'must be an absolute path'));
      break;
    case 'persistentVolumeClaim':
      if (!str(src.claimName)) errs.push(required(`${p}.claimName`));
      break;
    case 'downwardAPI':
      errs.push(...fileMode(src.defaultMode, `${p}.defaultMode`));
      for (const item of list(src.items)) errs.push(...validateDownwardAPIFile(obj(item) ?? {}, p));
      break;
    case 'projected':
      errs.push(...validateProjected(src, p));
      break;
    case 'flocker': {
      const name = str(src.datasetName);
      const uuid = str(src.datasetUUID);
      if (!name && !uuid) errs.push(required(p, 'one of datasetName and datasetUUID is required'));
      if (name && uuid) errs.push(invalid(p, 'resource', 'datasetName and datasetUUID can not be specified simultaneously'));
      if (name.includes('/')) errs.push(invalid(`${p}.datasetName`, name, "must not contain '/'"));
      break;
    }
    case 'fc':
      if (!list(src.targetWWNs).length && !list(src.wwids).length) {
        errs.push(required(`${p}.targetWWNs`, 'must specify either targetWWNs or wwids, but not both'));
      }
      break;
    case 'azureDisk':
      if (!str(src.diskName)) errs.push(required(`${p}.diskName`));
      if (!str(src.diskURI)) errs.push(required(`${p}.diskURI`));
      break;
    case 'csi': {
      const driver = str(src.driver);
      if (!driver) errs.push(required(`${p}.driver`));
      if (driver.length > 63) errs.push(tooLong(`${p}.driver`, 63));
      for (const m of isDNS1123Subdomain(driver.toLowerCase())) errs.push(invalid(`${p}.driver`, driver, m));
      const secretRef = obj(src.nodePublishSecretRef);
      if (secretRef) {
        if (!str(secretRef.name)) errs.push(required(`${p}.nodePublishSecretRef.name`));
        else for (const m of validateName(str(secretRef.name), 'subdomain', false)) errs.push(invalid(`${p}.name`, secretRef.name, m));
      }
      break;
    }
    case 'ephemeral':
      if (!isObject(src.volumeClaimTemplate)) errs.push(required(`${p}.volumeClaimTemplate`));
      if (podMeta?.name && volName) {
        const pvcName = `${podMeta.name}-${volName}`;
        for (const m of isDNS1123Subdomain(pvcName)) errs.push(invalid(`${path}.name`, volName, `PVC name ${JSON.stringify(pvcName)}: ${m}`));
      }
      break;
    default: {
      const simple = SIMPLE_SOURCES[key];
      if (simple) {
        for (const field of simple[1]) {
          const v = src[field];
          if (Array.isArray(v) ? v.length === 0 : !v) errs.push(required(`${path}.${simple[0]}.${field}`));
        }
      }
    }
  }
  return errs;
}

export function validateVolumes(volumes: unknown, podMeta: ObjectMeta | undefined, path: string): { vols: Map<string, Obj>; errs: FieldError[] } {
  const errs: FieldError[] = [];
  const vols = new Map<string, Obj>();
  const created = new Set<string>();
  if (podMeta?.name) for (const v of list(volumes)) if (obj(v)?.ephemeral !== undefined) created.add(`${podMeta.name}-${str(obj(v)?.name)}`);
  list(volumes).forEach((raw, i) => {
    const vol = obj(raw) ?? {};
    const idx = `${path}[${i}]`;
    const name = str(vol.name);
    const el: FieldError[] = [];
    let sources = 0;
    for (const [key, label] of SOURCE_ORDER) {
      const src = vol[key];
      if (src === undefined) continue;
      if (sources > 0) el.push(forbidden(`${idx}.${label}`, 'may not specify more than 1 volume type'));
      else {
        sources++;
        el.push(...validateSource(key, obj(src) ?? {}, idx, name, podMeta));
      }
    }
    if (sources === 0) el.push(required(idx, 'must specify a volume type'));
    if (!name) el.push(required(`${idx}.name`));
    else el.push(...dns1123Label(name, `${idx}.name`));
    if (vols.has(name)) el.push(duplicate(`${idx}.name`, name));
    if (el.length === 0) vols.set(name, vol);
    else errs.push(...el);
    const claim = str(obj(vol.persistentVolumeClaim)?.claimName);
    if (obj(vol.persistentVolumeClaim) && created.has(claim)) {
      errs.push(invalid(`${idx}.persistentVolumeClaim.claimName`, claim, 'must not reference a PVC that gets created for an ephemeral volume'));
    }
  });
  return { vols, errs };
}
