// ServiceAccount admission (plugin/pkg/admission/serviceaccount): a new pod runs as a service
// account that exists (`default` when it names none), gets the projected API token volume mounted
// in every container unless automount is off, and inherits the account's imagePullSecrets.
import { NAME_SUFFIX_ALPHABET } from '../api/clock.js';
import { forbidden, isNotFound, notFound } from '../api/errors.js';
import type { Pod, ServiceAccount } from '../api/kinds.js';
import type { PodSpec, Volume } from 'kubernetes-types/core/v1.js';
import { resourceName, type AdmissionAttributes, type AdmissionPlugin } from './chain.js';
import { R, type Client } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import type { SharedInformer } from '../client/informer.js';
import { DEFAULT_SERVICE_ACCOUNT, MIRROR_POD_ANNOTATION, ROOT_CA_CONFIGMAP } from '../api/well-known.js';
import { podSecretNames } from '../api/pod-secrets.js';

export const TOKEN_VOLUME_PREFIX = 'kube-api-access-';
export const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
export const ENFORCE_MOUNTABLE_SECRETS_ANNOTATION = 'kubernetes.io/enforce-mountable-secrets';
/** The expiry the admission plugin asks for: an hour and 7 s marks a token the server may extend. */
export const INJECTED_TOKEN_EXPIRATION_SECONDS = 3607;
/** Attempts to read the `default` account, which the service account controller may be creating. */
const DEFAULT_SA_ATTEMPTS = 10;


/** The projected volume the plugin adds, with the defaults a 1.32 server shows on it. */
export function tokenVolume(name: string): Volume {
  return {
    name,
    projected: {
      sources: [
        { serviceAccountToken: { expirationSeconds: INJECTED_TOKEN_EXPIRATION_SECONDS, path: 'token' } },
        { configMap: { name: ROOT_CA_CONFIGMAP, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
      defaultMode: 420,
    },
  };
}

/** strconv.ParseBool, true side. */
const goTrue = (v: string | undefined) => v !== undefined && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v);

export interface ServiceAccountAdmission extends AdmissionPlugin {
  /** Reads ServiceAccounts through the shared informers from now on (live only when they lack one). */
  start(informers: InformerFactory): Promise<void>;
}

/** `client` reads ServiceAccounts as the API server itself. */
export function serviceAccountAdmission(client: Client): ServiceAccountAdmission {
  let accounts: SharedInformer<ServiceAccount> | undefined;
  const applies = (a: AdmissionAttributes) => a.operation === 'CREATE' && a.resource.group === '' && a.resource.resource === 'pods' && !a.subresource && !!a.object;
  const deny = (a: AdmissionAttributes, why: string) => forbidden({ group: '', resource: 'pods' }, resourceName(a), why);

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /** The account from the informer, else read live; `default` is tried for a while, as the controller may be creating it. */
  async function getServiceAccount(a: AdmissionAttributes, name: string): Promise<ServiceAccount> {
    const cached = accounts?.get(a.namespace, name);
    if (cached) return cached;
    const attempts = name === DEFAULT_SERVICE_ACCOUNT ? DEFAULT_SA_ATTEMPTS : 1;
    const intervalMs = 100 + Number(a.ctx.random.string(2, '0123456789'));
    for (let i = 0; i < attempts; i++) {
      if (i) await sleep(intervalMs);
      try {
        return await client.get(R.serviceaccounts, a.namespace, name);
      } catch (err) {
        if (!isNotFound(err)) throw deny(a, `error looking up service account ${a.namespace}/${name}: ${(err as Error).message}`);
      }
    }
    const missing = notFound({ group: '', resource: 'serviceaccount' }, name);
    throw deny(a, `error looking up service account ${a.namespace}/${name}: ${missing.message}`);
  }

  function mountToken(spec: PodSpec, random: AdmissionAttributes['ctx']['random']): void {
    const existing = spec.volumes?.find((v) => v.name?.startsWith(TOKEN_VOLUME_PREFIX));
    const name = existing ? existing.name : TOKEN_VOLUME_PREFIX + random.string(5, NAME_SUFFIX_ALPHABET);
    let mounted = false;
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      const mounts = c.volumeMounts ?? [];
      if (mounts.some((m) => m.mountPath === TOKEN_MOUNT_PATH)) continue;
      c.volumeMounts = [...mounts, { name, readOnly: true, mountPath: TOKEN_MOUNT_PATH }];
      mounted = true;
    }
    if (!existing && mounted) spec.volumes = [...(spec.volumes ?? []), tokenVolume(name)];
  }

  function mirrorPodProblem(spec: PodSpec): string | undefined {
    if (spec.serviceAccountName) return 'a mirror pod may not reference service accounts';
    if (podSecretNames(spec).length) return 'a mirror pod may not reference secrets';
    for (const v of spec.volumes ?? []) {
      if (v.projected?.sources?.some((s) => s.serviceAccountToken !== undefined)) return 'a mirror pod may not use ServiceAccountToken volume projections';
    }
    return undefined;
  }

  function mountableSecretsProblem(sa: ServiceAccount, spec: PodSpec): string | undefined {
    const saName = sa.metadata.name!;
    const mountable = new Set(sa.secrets?.map((s) => s.name ?? ''));
    for (const v of spec.volumes ?? []) {
      const secretName = v.secret?.secretName ?? '';
      if (v.secret && !mountable.has(secretName)) {
        return `volume with secret.secretName="${secretName}" is not allowed because service account ${saName} does not reference that secret`;
      }
    }
    for (const [containers, what] of [[spec.initContainers, 'init container'], [spec.containers, 'container']] as const) {
      for (const c of containers ?? []) {
        for (const e of c.env ?? []) {
          const ref = e.valueFrom?.secretKeyRef;
          if (ref && !mountable.has(ref.name ?? '')) {
            return `${what} ${c.name ?? ''} with envVar ${e.name ?? ''} referencing secret.secretName="${ref.name ?? ''}" is not allowed because service account ${saName} does not reference that secret`;
          }
        }
      }
    }
    const pullable = new Set(sa.imagePullSecrets?.map((s) => s.name ?? ''));
    const i = spec.imagePullSecrets?.findIndex((ref) => !pullable.has(ref.name ?? '')) ?? -1;
    if (i < 0) return undefined;
    return `imagePullSecrets[${i}].name="${spec.imagePullSecrets![i].name ?? ''}" is not allowed because service account ${saName} does not reference that imagePullSecret`;
  }

  const isMirror = (pod: Pod) => pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined;

  /** The pod being created, its spec made an object first (validation, which follows, reports what it lacks). */
  function podOf(a: AdmissionAttributes): Pod & { spec: PodSpec } {
    const pod = a.object as Pod;
    pod.spec ??= {} as PodSpec;
    return pod as Pod & { spec: PodSpec };
  }

  /** The validating step, which the mutating step also ends with (as upstream's Admit calls Validate). */
  async function check(a: AdmissionAttributes): Promise<void> {
    const pod = podOf(a);
    const { spec } = pod;
    if (isMirror(pod)) {
      const problem = mirrorPodProblem(spec);
      if (problem) throw deny(a, problem);
      return;
    }
    const sa = await getServiceAccount(a, spec.serviceAccountName ?? '');
    if (goTrue(sa.metadata.annotations?.[ENFORCE_MOUNTABLE_SECRETS_ANNOTATION])) {
      const problem = mountableSecretsProblem(sa, spec);
      if (problem) throw deny(a, problem);
    }
  }

  return {
    name: 'ServiceAccount',
    async start(informers) {
      accounts = informers.forResource(R.serviceaccounts);
      informers.start();
      await accounts.waitForSync();
    },
    async admit(a) {
      if (!applies(a)) return;
      const pod = podOf(a);
      // Mirror pods are never changed (the kubelet would not recognise them); check only rejects.
      if (isMirror(pod)) return check(a);
      const { spec } = pod;
      spec.serviceAccountName ||= DEFAULT_SERVICE_ACCOUNT;
      const sa = await getServiceAccount(a, spec.serviceAccountName);
      if (spec.automountServiceAccountToken ?? sa.automountServiceAccountToken ?? true) mountToken(spec, a.ctx.random);
      const pullSecrets = sa.imagePullSecrets ?? [];
      if (!spec.imagePullSecrets?.length && pullSecrets.length) spec.imagePullSecrets = pullSecrets.map((s) => ({ name: s.name ?? '' }));
      return check(a);
    },
    async validate(a) {
      if (applies(a)) await check(a);
    },
  };
}
