// The PersistentVolume controller (pkg/controller/volume/persistentvolume), in small, with a local
// provisioner beside it (as k3s runs local-path-provisioner):
// - binding: a claim without a volume gets the smallest Available volume that fits it (its class,
//   volume mode, access modes, size and selector; a volume pre-bound to it first), the volume's
//   claimRef first, then the claim's volumeName; both statuses say Bound, with the annotations
//   pv.kubernetes.io/bind-completed and pv.kubernetes.io/bound-by-controller;
// - provisioning: a claim no volume fits, of a class whose provisioner is LOCAL_PROVISIONER, gets a
//   directory `<data dir>/volumes/pvc-<uid>` (made by the `LocalVolumes` app.ts hands in) and a
//   volume `pvc-<uid>` of that `local` path with node affinity to this node, pre-bound to the
//   claim; Immediate classes at once, WaitForFirstConsumer ones once the scheduler has written
//   volume.kubernetes.io/selected-node on the claim;
// - reclaiming: a volume whose claim is gone is Released; Delete removes a provisioned volume and
//   its directory, Retain keeps it Released;
// - at start, a default StorageClass DEFAULT_CLASS when there is no StorageClass at all.
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../api/kinds.js';
import { isNotFound } from '../api/errors.js';
import { selectorObjectMatches } from '../api/labels.js';
import { compareQuantities, parseQuantity } from '../api/quantity.js';
import { BETA_STORAGE_CLASS_ANNOTATION, IS_DEFAULT_CLASS, type LocalVolumes } from '../api/storage-classes.js';
import { R, type Client } from '../client/client.js';
import { waitForSync } from '../client/informer.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { keyOf } from '../client/object-cache.js';
import { WorkQueue } from '../client/queue.js';
import { asPatch, splitKey } from './controller-utils.js';
import type { EventRecorder } from './events.js';

export const LOCAL_PROVISIONER = 'badge.dev/local-path';
export const DEFAULT_CLASS = 'standard';
export const SELECTED_NODE = 'volume.kubernetes.io/selected-node';
const COMPONENT = 'persistentvolume-controller';
const BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
const BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
const PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
const STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
const BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
const HOSTNAME_LABEL = 'kubernetes.io/hostname';

export interface PersistentVolumeDeps {
  client: Client;
  informers: InformerFactory;
  recorder: EventRecorder;
  /** The node the local provisioner's volumes are on. */
  nodeName: string;
  local: LocalVolumes;
}

/** The class a claim asks for: the beta annotation, else spec.storageClassName ('' for none). */
export const claimClass = (c: PersistentVolumeClaim): string => c.metadata.annotations?.[BETA_STORAGE_CLASS_ANNOTATION] ?? c.spec?.storageClassName ?? '';
const volumeClass = (v: PersistentVolume): string => v.metadata.annotations?.[BETA_STORAGE_CLASS_ANNOTATION] ?? v.spec?.storageClassName ?? '';

/** Whether the volume can serve the claim (checkVolumeSatisfyClaim and the selector). */
function fits(pv: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  const want = parseQuantity(claim.spec?.resources?.requests?.storage);
  const has = parseQuantity(pv.spec?.capacity?.storage);
  if (!want || !has || compareQuantities(has, want) < 0) return false;
  if (volumeClass(pv) !== claimClass(claim)) return false;
  if ((pv.spec?.volumeMode ?? 'Filesystem') !== (claim.spec?.volumeMode ?? 'Filesystem')) return false;
  const modes = new Set(pv.spec?.accessModes ?? []);
  if (!(claim.spec?.accessModes ?? []).every((m) => modes.has(m))) return false;
  return !claim.spec?.selector || selectorObjectMatches(claim.spec.selector, pv.metadata.labels ?? {});
}

export function persistentVolumeController({ client, informers, recorder, nodeName, local }: PersistentVolumeDeps) {
  const claims = informers.forResource(R.persistentvolumeclaims);
  const volumes = informers.forResource(R.persistentvolumes);
  const classes = informers.forResource(R.storageclasses);
  const claimQueue = new WorkQueue('persistentvolume-controller claims', syncClaim, 1000, 60_000);
  const volumeQueue = new WorkQueue('persistentvolume-controller volumes', syncVolume, 1000, 60_000);
  const event = (o: PersistentVolumeClaim | PersistentVolume, type: 'Normal' | 'Warning', reason: string, message: string) => void recorder.record(o, type, reason, message, COMPONENT);

  /** Writes a claim's or volume's status phase (and more), unless it already says so. */
  async function setClaimStatus(claim: PersistentVolumeClaim, status: NonNullable<PersistentVolumeClaim['status']>): Promise<void> {
    await client.mutate(R.persistentvolumeclaims, claim.metadata.namespace!, claim.metadata.name!, (cur) => {
      if (cur.metadata.uid !== claim.metadata.uid) return cur;
      return asPatch({ ...cur, status: { ...cur.status, ...status } });
    }, 'status');
  }
  async function setVolumePhase(pv: PersistentVolume, phase: string, reason?: string, message?: string): Promise<void> {
    if (pv.status?.phase === phase && (pv.status?.message ?? undefined) === message) return;
    await client.mutate(R.persistentvolumes, '', pv.metadata.name!, (cur) => {
      if (cur.metadata.uid !== pv.metadata.uid) return cur;
      const status = { ...cur.status, phase };
      delete status.reason;
      delete status.message;
      if (reason) status.reason = reason;
      if (message) status.message = message;
      return asPatch({ ...cur, status });
    }, 'status');
  }

  /** bindVolumeToClaim, then bindClaimToVolume, then both statuses. */
  async function bind(pv: PersistentVolume, claim: PersistentVolumeClaim): Promise<void> {
    const { namespace, name, uid } = claim.metadata;
    let volume = pv;
    if (pv.spec?.claimRef?.uid !== uid) {
      volume = await client.mutate(R.persistentvolumes, '', pv.metadata.name!, (cur) => {
        const ref = cur.spec?.claimRef;
        if (ref?.uid && ref.uid !== uid) throw Object.assign(new Error(`volume ${cur.metadata.name} is bound to another claim`), { code: 409 });
        if (!ref) cur.metadata.annotations = { ...cur.metadata.annotations, [BOUND_BY_CONTROLLER]: 'yes' };
        cur.spec = { ...cur.spec, claimRef: { kind: 'PersistentVolumeClaim', namespace, name, uid, apiVersion: 'v1', resourceVersion: claim.metadata.resourceVersion } };
        return asPatch(cur);
      });
    }
    await setVolumePhase(volume, 'Bound');
    const bound = await client.mutate(R.persistentvolumeclaims, namespace!, name!, (cur) => {
      if (cur.metadata.uid !== uid) return cur;
      const annotations: Record<string, string> = { ...cur.metadata.annotations, [BIND_COMPLETED]: 'yes' };
      if (!cur.spec?.volumeName) annotations[BOUND_BY_CONTROLLER] = 'yes';
      cur.metadata.annotations = annotations;
      cur.spec = { ...cur.spec, volumeName: pv.metadata.name };
      return asPatch(cur);
    });
    if (bound.status?.phase !== 'Bound') {
      await setClaimStatus(bound, structuredClone({ phase: 'Bound', accessModes: pv.spec?.accessModes, capacity: pv.spec?.capacity }));
    }
  }

  async function syncClaim(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const claim = claims.get(ns, name);
    if (!claim || claim.metadata.deletionTimestamp) return;
    const volumeName = claim.spec?.volumeName;
    if (volumeName) {
      const pv = volumes.get('', volumeName);
      if (!pv) {
        if (claim.status?.phase === 'Bound') {
          await setClaimStatus(claim, { phase: 'Lost' });
          event(claim, 'Warning', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
        }
        return;
      }
      const ref = pv.spec?.claimRef;
      if (!ref || ref.uid === claim.metadata.uid || (!ref.uid && ref.namespace === ns && ref.name === name)) return bind(pv, claim);
      if (claim.status?.phase !== 'Lost') {
        await setClaimStatus(claim, { phase: 'Lost' });
        event(claim, 'Warning', 'ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
      }
      return;
    }
    // A volume pre-bound to this claim, else the smallest Available one that fits.
    const all = volumes.list().filter((v) => !v.metadata.deletionTimestamp);
    const preBound = all.find((v) => v.spec?.claimRef?.namespace === ns && v.spec.claimRef.name === name && (!v.spec.claimRef.uid || v.spec.claimRef.uid === claim.metadata.uid));
    const size = (v: PersistentVolume) => parseQuantity(v.spec?.capacity?.storage)!;
    const match = preBound ?? all.filter((v) => !v.spec?.claimRef && fits(v, claim)).sort((a, b) => compareQuantities(size(a), size(b)))[0];
    if (match) return bind(match, claim);
    const className = claimClass(claim);
    if (!className) {
      event(claim, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
      return;
    }
    const sc = classes.get('', className);
    if (!sc) {
      event(claim, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io ${JSON.stringify(className)} not found`);
      return;
    }
    await provision(claim, sc);
  }

  /** provisionClaim: the provisioner annotations, then (for our provisioner) the directory and the volume. */
  async function provision(claim: PersistentVolumeClaim, sc: StorageClass): Promise<void> {
    const provisioner = sc.provisioner;
    if (claim.metadata.annotations?.[STORAGE_PROVISIONER] !== provisioner) {
      await client.mutate(R.persistentvolumeclaims, claim.metadata.namespace!, claim.metadata.name!, (cur) => {
        if (cur.metadata.uid !== claim.metadata.uid) return cur;
        cur.metadata.annotations = { ...cur.metadata.annotations, [STORAGE_PROVISIONER]: provisioner, [BETA_STORAGE_PROVISIONER]: provisioner };
        return asPatch(cur);
      });
    }
    const selectedNode = claim.metadata.annotations?.[SELECTED_NODE];
    if (sc.volumeBindingMode === 'WaitForFirstConsumer' && !selectedNode) {
      event(claim, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
      return;
    }
    if (provisioner !== LOCAL_PROVISIONER) {
      event(claim, 'Normal', 'ExternalProvisioning', `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`);
      return;
    }
    const pvName = `pvc-${claim.metadata.uid}`;
    if (volumes.get('', pvName)) return;
    if (claim.spec?.selector) {
      event(claim, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass ${JSON.stringify(sc.metadata.name)}: claim Selector is not supported`);
      return;
    }
    if (selectedNode && selectedNode !== nodeName) return;
    const key = `${claim.metadata.namespace}/${claim.metadata.name}`;
    event(claim, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim ${JSON.stringify(key)}`);
    let path: string;
    try {
      path = local.create(pvName);
    } catch (err) {
      event(claim, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass ${JSON.stringify(sc.metadata.name)}: ${(err as Error).message}`);
      throw err;
    }
    const pv: PersistentVolume = structuredClone({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: pvName, annotations: { [PROVISIONED_BY]: LOCAL_PROVISIONER } },
      spec: {
        capacity: { storage: claim.spec!.resources!.requests!.storage! },
        accessModes: claim.spec?.accessModes,
        claimRef: { kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid, apiVersion: 'v1', resourceVersion: claim.metadata.resourceVersion },
        persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
        storageClassName: sc.metadata.name,
        volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
        ...(sc.mountOptions?.length ? { mountOptions: sc.mountOptions } : {}),
        local: { path },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: HOSTNAME_LABEL, operator: 'In', values: [nodeName] }] }] } },
      },
    });
    try {
      await client.create(R.persistentvolumes, '', pv);
    } catch (err) {
      if ((err as { code?: number }).code !== 409) {
        local.remove(path);
        event(claim, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass ${JSON.stringify(sc.metadata.name)}: ${(err as Error).message}`);
        throw err;
      }
    }
    event(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pvName}`);
  }

  async function syncVolume(name: string): Promise<void> {
    const pv = volumes.get('', name);
    if (!pv || pv.metadata.deletionTimestamp) return;
    const ref = pv.spec?.claimRef;
    if (!ref || !ref.uid) {
      if (pv.status?.phase !== 'Available') await setVolumePhase(pv, 'Available');
      if (ref) claimQueue.add(`${ref.namespace}/${ref.name}`);
      return;
    }
    // The server's word on the claim: a cache that has not seen a new claim yet must not release its volume.
    let claim: PersistentVolumeClaim | undefined = claims.get(ref.namespace ?? '', ref.name ?? '');
    if (!claim || claim.metadata.uid !== ref.uid) claim = await client.get(R.persistentvolumeclaims, ref.namespace ?? '', ref.name ?? '').catch((err) => (isNotFound(err) ? undefined : Promise.reject(err)));
    if (claim && claim.metadata.uid === ref.uid) {
      if (claim.spec?.volumeName === name && pv.status?.phase !== 'Bound') await setVolumePhase(pv, 'Bound');
      if (!claim.spec?.volumeName) claimQueue.add(keyOf(claim));
      return;
    }
    // The claim is gone: reclaim the volume.
    const policy = pv.spec?.persistentVolumeReclaimPolicy ?? 'Retain';
    if (policy === 'Retain') {
      if (pv.status?.phase !== 'Released') await setVolumePhase(pv, 'Released');
      return;
    }
    if (policy === 'Delete' && pv.metadata.annotations?.[PROVISIONED_BY] === LOCAL_PROVISIONER && pv.spec?.local?.path) {
      if (pv.status?.phase !== 'Released') await setVolumePhase(pv, 'Released');
      local.remove(pv.spec.local.path);
      await client.delete(R.persistentvolumes, '', name, { preconditions: { uid: pv.metadata.uid } }).catch((err) => {
        if (!isNotFound(err)) throw err;
      });
      return;
    }
    const message = policy === 'Delete' ? `error getting deleter volume plugin for volume "${name}": no deletable volume plugin matched` : `no volume plugin matched name: kubernetes.io/${policy.toLowerCase()}`;
    if (pv.status?.phase !== 'Failed') {
      await setVolumePhase(pv, 'Failed', policy === 'Delete' ? 'VolumeFailedDelete' : 'VolumeFailedRecycle', message);
      event(pv, 'Warning', policy === 'Delete' ? 'VolumeFailedDelete' : 'VolumeFailedRecycle', message);
    }
  }

  /** Badge's default StorageClass, made once when the cluster has no class at all. */
  async function ensureDefaultClass(): Promise<void> {
    if (classes.list().length) return;
    const sc: StorageClass = {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: DEFAULT_CLASS, annotations: { [IS_DEFAULT_CLASS]: 'true' } },
      provisioner: LOCAL_PROVISIONER,
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'Immediate',
    };
    await client.create(R.storageclasses, '', sc).catch((err) => {
      if ((err as { code?: number }).code !== 409) throw err;
    });
  }

  const claimsWaitingFor = (className: string) => {
    for (const c of claims.list()) if (!c.spec?.volumeName && claimClass(c) === className) claimQueue.add(keyOf(c));
  };
  const unboundClaims = () => {
    for (const c of claims.list()) if (!c.spec?.volumeName) claimQueue.add(keyOf(c));
  };
  return {
    async start() {
      informers.start();
      await waitForSync(claims, volumes, classes);
      await ensureDefaultClass();
      claims.on({
        add: (c) => claimQueue.add(keyOf(c)),
        update: (_, c) => claimQueue.add(keyOf(c)),
        // A claim that goes releases its volume.
        delete: (c) => c.spec?.volumeName && volumeQueue.add(c.spec.volumeName),
      });
      volumes.on({
        add: (v) => {
          volumeQueue.add(v.metadata.name!);
          unboundClaims();
        },
        update: (old, v) => {
          volumeQueue.add(v.metadata.name!);
          if (old.spec?.claimRef && !v.spec?.claimRef) unboundClaims();
        },
        delete: (v) => v.spec?.claimRef && claimQueue.add(`${v.spec.claimRef.namespace}/${v.spec.claimRef.name}`),
      });
      classes.on({ add: (sc) => claimsWaitingFor(sc.metadata.name!) });
    },
    stop() {
      claimQueue.stop();
      volumeQueue.stop();
    },
  };
}
