// A pod's volumes on disk, under `<dataDir>/pods/<uid>/volumes/<name>`: projected (token,
// ConfigMap, Secret, downward API), configMap, secret and downwardAPI through the AtomicWriter
// with the modes Kubernetes gives (pkg/volume/{projected,configmap,secret,downwardapi}), emptyDir,
// hostPath (anywhere but in the data dir), and persistentVolumeClaim as the directory of the
// PersistentVolume bound to the claim (its hostPath or local path; in the data dir only under
// `volumes/`, where the local provisioner makes them).
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { DownwardAPIVolumeFile, KeyToPath, Volume } from 'kubernetes-types/core/v1.js';
import type { ConfigMap, PersistentVolume, PersistentVolumeClaim, Pod, Secret } from '../../api/kinds.js';
import { containerResourceValue, extractFieldPath } from '../env.js';
import { AtomicWriter, type FileProjection, type Payload } from './atomic-writer.js';
import { aggregateText } from '../../api/aggregate.js';

/** The default of every defaultMode (0644), as the API server defaults it. */
export const DEFAULT_MODE = 0o644;
/** The mode of a projected token when the pod has an fsUser or fsGroup. */
const TOKEN_PRIVATE_MODE = 0o600;
/** What SetVolumeOwnership adds to the files of a read-only volume for the fsGroup. */
const FS_GROUP_READ = 0o440;

export interface VolumeSources {
  configMap(namespace: string, name: string): ConfigMap | undefined;
  secret(namespace: string, name: string): Secret | undefined;
  claim(namespace: string, name: string): PersistentVolumeClaim | undefined;
  persistentVolume(name: string): PersistentVolume | undefined;
  /** A projected service account token for the pod. */
  token(pod: Pod, source: { audience?: string; expirationSeconds: number }): Promise<string>;
  nodeAllocatable: Record<string, string>;
}

export interface VolumeFailure {
  volume: string;
  message: string;
}

export interface VolumeSetup {
  /** Host paths of the volumes that are ready, by volume name. */
  paths: Map<string, string>;
  failures: VolumeFailure[];
}


/** util.FsUserFrom: the runAsUser every container shares, if they all set the same one. */
export function fsUserOf(pod: Pod): number | undefined {
  const spec = pod.spec;
  const podUser = spec?.securityContext?.runAsUser;
  let user: number | undefined;
  for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
    const effective = c.securityContext?.runAsUser ?? podUser;
    if (effective === undefined || (user !== undefined && user !== effective)) return undefined;
    user = effective;
  }
  return user;
}

export const fsGroupOf = (pod: Pod): number | undefined => pod.spec?.securityContext?.fsGroup;

/** configmap.MakePayload / secret.MakePayload: all keys, or the listed items (missing keys fail unless optional). */
function keyPayload(kind: 'configmap' | 'secret', data: Record<string, Buffer>, items: KeyToPath[], defaultMode: number, optional: boolean): Payload {
  const payload: Payload = {};
  if (!items.length) {
    for (const [k, v] of Object.entries(data)) payload[k] = { data: v, mode: defaultMode };
    return payload;
  }
  for (const item of items) {
    const key = item.key;
    if (!Object.hasOwn(data, key)) {
      if (optional) continue;
      throw new Error(kind === 'configmap' ? `configmap references non-existent config key: ${key}` : `references non-existent secret key: ${key}`);
    }
    payload[item.path] = { data: data[key]!, mode: item.mode ?? defaultMode };
  }
  return payload;
}

const configMapData = (cm: ConfigMap | undefined): Record<string, Buffer> => {
  const out: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(cm?.data ?? {})) out[k] = Buffer.from(v, 'utf8');
  for (const [k, v] of Object.entries(cm?.binaryData ?? {})) out[k] = Buffer.from(v, 'base64');
  return out;
};
const secretData = (s: Secret | undefined): Record<string, Buffer> => {
  const out: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(s?.data ?? {})) out[k] = Buffer.from(v, 'base64');
  return out;
};

/** downwardapi.CollectData: each item's field or resource value as a file. */
function downwardPayload(pod: Pod, items: DownwardAPIVolumeFile[], defaultMode: number, nodeAllocatable: Record<string, string>): Payload {
  const payload: Payload = {};
  const errors: string[] = [];
  for (const item of items) {
    const mode = item.mode ?? defaultMode;
    try {
      const { fieldRef, resourceFieldRef: resourceRef } = item;
      let value = '';
      if (fieldRef) value = extractFieldPath(pod, fieldRef.fieldPath);
      else if (resourceRef) {
        const name = resourceRef.containerName ?? '';
        const container = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === name);
        if (!container) throw new Error(`container ${name} not found`);
        value = containerResourceValue(resourceRef, container, nodeAllocatable);
      }
      payload[item.path] = { data: Buffer.from(value, 'utf8'), mode };
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  if (errors.length) throw new Error(aggregateText(errors));
  return payload;
}

export class VolumeManager {
  constructor(
    private readonly podsDir: string,
    private readonly now: () => Date,
    /** The server's data dir, which no hostPath volume may reach into. */
    private readonly dataDir?: string,
  ) {}

  podDir(uid: string): string {
    return join(this.podsDir, uid);
  }

  volumeDir(uid: string, name: string): string {
    return join(this.podsDir, uid, 'volumes', name);
  }

  /** Sets up (or refreshes) every volume of the pod; failures are reported per volume. */
  async setUp(pod: Pod, sources: VolumeSources): Promise<VolumeSetup> {
    const uid = pod.metadata.uid!;
    const paths = new Map<string, string>();
    const failures: VolumeFailure[] = [];
    for (const v of pod.spec?.volumes ?? []) {
      const name = v.name;
      try {
        paths.set(name, await this.setUpOne(pod, uid, name, v, sources));
      } catch (err) {
        failures.push({ volume: name, message: (err as Error).message });
      }
    }
    return { paths, failures };
  }

  /** Removes the volumes (a pod that finished keeps its logs). */
  tearDown(uid: string): void {
    rmSync(join(this.podsDir, uid, 'volumes'), { recursive: true, force: true });
  }

  /** Removes everything of the pod. */
  remove(uid: string): void {
    rmSync(join(this.podsDir, uid), { recursive: true, force: true });
  }

  /** Pod directories on disk (to clean up after pods deleted while the agent was away). */
  podUIDs(): string[] {
    if (!existsSync(this.podsDir)) return [];
    return readdirSync(this.podsDir).filter((n) => {
      try {
        return statSync(join(this.podsDir, n)).isDirectory();
      } catch {
        return false;
      }
    });
  }

  private async setUpOne(pod: Pod, uid: string, name: string, v: Volume, sources: VolumeSources): Promise<string> {
    const dir = this.volumeDir(uid, name);
    const namespace = pod.metadata.namespace ?? '';
    const fsUser = fsUserOf(pod);
    const fsGroup = fsGroupOf(pod);
    const { projected, configMap, secret, downwardAPI, emptyDir, hostPath, persistentVolumeClaim: pvc } = v;

    if (projected) {
      const defaultMode = projected.defaultMode ?? DEFAULT_MODE;
      const payload: Payload = {};
      const errors: string[] = [];
      for (const s of projected.sources ?? []) {
        try {
          const { secret: ss, configMap: cm, downwardAPI: da, serviceAccountToken: token } = s;
          if (ss) {
            const optional = ss.optional === true;
            const found = sources.secret(namespace, ss.name ?? '');
            if (!found && !optional) throw new Error(`secret ${JSON.stringify(ss.name ?? '')} not found`);
            Object.assign(payload, keyPayload('secret', secretData(found), ss.items ?? [], defaultMode, optional));
          } else if (cm) {
            const optional = cm.optional === true;
            const found = sources.configMap(namespace, cm.name ?? '');
            if (!found && !optional) throw new Error(`configmap ${JSON.stringify(cm.name ?? '')} not found`);
            Object.assign(payload, keyPayload('configmap', configMapData(found), cm.items ?? [], defaultMode, optional));
          } else if (da) {
            Object.assign(payload, downwardPayload(pod, da.items ?? [], defaultMode, sources.nodeAllocatable));
          } else if (token) {
            const value = await sources.token(pod, { audience: token.audience || undefined, expirationSeconds: token.expirationSeconds ?? 3600 });
            const mode = fsUser !== undefined || fsGroup !== undefined ? TOKEN_PRIVATE_MODE : defaultMode;
            payload[token.path] = { data: Buffer.from(value, 'utf8'), mode, ...(fsUser !== undefined ? { fsUser } : {}) };
          } else if (s.clusterTrustBundle !== undefined) {
            throw new Error('clusterTrustBundle projections are not supported by this node');
          }
        } catch (err) {
          errors.push((err as Error).message);
        }
      }
      if (errors.length) throw new Error(aggregateText(errors));
      return this.writeAtomic(dir, payload, fsGroup, 0o1777);
    }
    if (configMap) {
      const optional = configMap.optional === true;
      const cmName = configMap.name ?? '';
      const found = sources.configMap(namespace, cmName);
      if (!found && !optional) throw new Error(`configmap ${JSON.stringify(cmName)} not found`);
      const payload = keyPayload('configmap', configMapData(found), configMap.items ?? [], configMap.defaultMode ?? DEFAULT_MODE, optional);
      return this.writeAtomic(dir, payload, fsGroup, 0o777);
    }
    if (secret) {
      const optional = secret.optional === true;
      const secretName = secret.secretName ?? '';
      const found = sources.secret(namespace, secretName);
      if (!found && !optional) throw new Error(`secret ${JSON.stringify(secretName)} not found`);
      const payload = keyPayload('secret', secretData(found), secret.items ?? [], secret.defaultMode ?? DEFAULT_MODE, optional);
      return this.writeAtomic(dir, payload, fsGroup, 0o1777);
    }
    if (downwardAPI) {
      const payload = downwardPayload(pod, downwardAPI.items ?? [], downwardAPI.defaultMode ?? DEFAULT_MODE, sources.nodeAllocatable);
      return this.writeAtomic(dir, payload, fsGroup, 0o1777);
    }
    if (emptyDir) {
      if (!existsSync(dir)) {
        mkdirSync(dir, { recursive: true });
        // emptyDir is world-writable; a memory-backed one is a tmpfs (sticky, as tmpfs mounts are).
        chmodSync(dir, emptyDir.medium === 'Memory' ? 0o1777 : 0o777);
        this.chownGroup(dir, fsGroup);
      }
      return dir;
    }
    if (hostPath) {
      const path = hostPath.path;
      if (this.dataDir && isUnderOrSelf(resolved(path), resolved(this.dataDir))) throw new Error(`the host path ${path} is in the server's data directory, which pods may not mount`);
      return checkHostPath(path, hostPath.type ?? '');
    }
    if (pvc) return this.claimPath(namespace, pvc.claimName, sources);
    const kind = Object.keys(v).find((k) => k !== 'name') ?? 'unknown';
    throw new Error(`volume type ${kind} is not supported by this node`);
  }

  /** The kubelet's getPVCExtractPV and the volume plugin's path: the bound volume's directory. */
  private claimPath(namespace: string, claimName: string, sources: VolumeSources): string {
    const claim = sources.claim(namespace, claimName);
    if (!claim) throw new Error(`error processing PVC ${namespace}/${claimName}: failed to fetch PVC from API server: persistentvolumeclaims ${JSON.stringify(claimName)} not found`);
    const volumeName = claim.spec?.volumeName;
    if (claim.status?.phase !== 'Bound' || !volumeName) throw new Error(`error processing PVC ${namespace}/${claimName}: PVC is not bound`);
    const pv = sources.persistentVolume(volumeName);
    if (!pv) throw new Error(`error processing PVC ${namespace}/${claimName}: failed to fetch PV ${JSON.stringify(volumeName)} from API server: persistentvolumes ${JSON.stringify(volumeName)} not found`);
    if (pv.spec?.claimRef?.uid !== claim.metadata.uid) throw new Error(`error processing PVC ${namespace}/${claimName}: PV ${JSON.stringify(volumeName)} is not bound to this claim`);
    const path = pv.spec?.hostPath?.path ?? pv.spec?.local?.path;
    if (!path) throw new Error(`volume ${volumeName} of claim ${namespace}/${claimName}: this node mounts only hostPath and local persistent volumes`);
    // The local provisioner's volumes live in the data dir; nothing else of it may be mounted.
    if (this.dataDir && isUnderOrSelf(resolved(path), resolved(this.dataDir)) && !isUnder(resolved(path), resolved(join(this.dataDir, 'volumes')))) {
      throw new Error(`the host path ${path} is in the server's data directory, which pods may not mount`);
    }
    return pv.spec?.hostPath ? checkHostPath(path, pv.spec.hostPath.type ?? '') : checkHostPath(path, 'Directory');
  }

  private writeAtomic(dir: string, input: Payload, fsGroup: number | undefined, dirMode: number): string {
    const fresh = !existsSync(dir);
    mkdirSync(dir, { recursive: true });
    if (fresh) chmodSync(dir, dirMode);
    const payload: Payload = {};
    for (const [p, f] of Object.entries(input)) payload[p] = fsGroup !== undefined ? { ...f, mode: f.mode | FS_GROUP_READ } : f;
    new AtomicWriter(dir, this.now).write(payload, (dataDir) => this.chownTree(dataDir, fsGroup));
    return dir;
  }

  private chownGroup(path: string, fsGroup: number | undefined): void {
    if (fsGroup === undefined) return;
    try {
      chownSync(path, -1, fsGroup);
    } catch {
      // Not root: ownership stays the agent's.
    }
  }

  private chownTree(path: string, fsGroup: number | undefined): void {
    if (fsGroup === undefined) return;
    this.chownGroup(path, fsGroup);
    if (statSync(path).isDirectory()) for (const n of readdirSync(path)) this.chownTree(join(path, n), fsGroup);
  }
}

const isUnder = (p: string, dir: string) => p.startsWith(dir === '/' ? '/' : `${dir}/`);
const isUnderOrSelf = (p: string, dir: string) => p === dir || isUnder(p, dir);

/** `path` with the symbolic links of its existing part resolved. */
function resolved(path: string): string {
  const abs = resolve(path);
  if (existsSync(abs)) return realpathSync(abs);
  const parent = dirname(abs);
  return parent === abs ? abs : join(resolved(parent), basename(abs));
}

/** hostPath with its type check (pkg/volume/hostpath); the OrCreate types create what is missing. */
function checkHostPath(path: string, type: string): string {
  const exists = existsSync(path);
  const stat = exists ? statSync(path) : undefined;
  switch (type) {
    case 'DirectoryOrCreate':
      if (!exists) mkdirSync(path, { recursive: true, mode: 0o755 });
      else if (!stat!.isDirectory()) throw new Error(`hostPath type check failed: ${path} is not a directory`);
      break;
    case 'Directory':
      if (!exists) throw new Error(`hostPath type check failed: ${path} is not a directory`);
      if (!stat!.isDirectory()) throw new Error(`hostPath type check failed: ${path} is not a directory`);
      break;
    case 'FileOrCreate':
      if (!exists) writeFileSync(path, '', { mode: 0o644 });
      else if (!stat!.isFile()) throw new Error(`hostPath type check failed: ${path} is not a file`);
      break;
    case 'File':
      if (!exists || !stat!.isFile()) throw new Error(`hostPath type check failed: ${path} is not a file`);
      break;
    case 'Socket':
      if (!exists || !stat!.isSocket()) throw new Error(`hostPath type check failed: ${path} is not a socket file`);
      break;
    case 'CharDevice':
      if (!exists || !stat!.isCharacterDevice()) throw new Error(`hostPath type check failed: ${path} is not a character device`);
      break;
    case 'BlockDevice':
      if (!exists || !stat!.isBlockDevice()) throw new Error(`hostPath type check failed: ${path} is not a block device`);
      break;
  }
  return path;
}

export type { FileProjection };
