// ServiceAccount admission (plugin/pkg/admission/serviceaccount): a new pod runs as a service
// account that exists (`default` when it names none), gets the projected API token volume mounted
// in every container unless automount is off, and inherits the account's imagePullSecrets.
import { NAME_SUFFIX_ALPHABET } from '../api/clock.js';
import { forbidden, isNotFound, notFound } from '../api/errors.js';
import { type KubeObject } from '../api/meta.js';
import type { AdmissionAttributes, AdmissionPlugin } from './chain.js';
import { R, type Client } from '../client/client.js';
import { DEFAULT_SERVICE_ACCOUNT, MIRROR_POD_ANNOTATION, ROOT_CA_CONFIGMAP } from '../api/well-known.js';
import { podSecretNames } from '../api/pod-secrets.js';
import { type Obj, obj, objects, specToFill, str } from '../api/narrow.js';

export const TOKEN_VOLUME_PREFIX = 'kube-api-access-';
export const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
export const ENFORCE_MOUNTABLE_SECRETS_ANNOTATION = 'kubernetes.io/enforce-mountable-secrets';
/** The expiry the admission plugin asks for: an hour and 7 s marks a token the server may extend. */
export const INJECTED_TOKEN_EXPIRATION_SECONDS = 3607;
/** Attempts to read the `default` account, which the service account controller may be creating. */
const DEFAULT_SA_ATTEMPTS = 10;


/** The projected volume the plugin adds, with the defaults a 1.32 server shows on it. */
export function tokenVolume(name: string): Obj {
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

/** The name admission errors show: the object's name, else its generateName (admission.extractResourceName). */
function nameFor(a: AdmissionAttributes): string {
  return a.name || a.object?.metadata.name || a.object?.metadata.generateName || 'Unknown';
}

/** `client` reads ServiceAccounts as the API server itself. */
export function serviceAccountAdmission(client: Client): AdmissionPlugin {
  const applies = (a: AdmissionAttributes) => a.operation === 'CREATE' && a.resource.group === '' && a.resource.resource === 'pods' && !a.subresource && !!a.object;
  const deny = (a: AdmissionAttributes, why: string) => forbidden({ group: '', resource: 'pods' }, nameFor(a), why);

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /** The account, read live; `default` is tried for a while, as the controller may be creating it. */
  async function getServiceAccount(a: AdmissionAttributes, name: string): Promise<KubeObject> {
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

  function mountToken(spec: Obj, random: AdmissionAttributes['ctx']['random']): void {
    const volumes = objects(spec.volumes);
    const existing = volumes.find((v) => str(v.name).startsWith(TOKEN_VOLUME_PREFIX));
    const name = existing ? str(existing.name) : TOKEN_VOLUME_PREFIX + random.string(5, NAME_SUFFIX_ALPHABET);
    let mounted = false;
    for (const key of ['initContainers', 'containers']) {
      for (const c of objects(spec[key])) {
        const mounts = objects(c.volumeMounts);
        if (mounts.some((m) => m.mountPath === TOKEN_MOUNT_PATH)) continue;
        c.volumeMounts = [...mounts, { name, readOnly: true, mountPath: TOKEN_MOUNT_PATH }];
        mounted = true;
      }
    }
    if (!existing && mounted) spec.volumes = [...(Array.isArray(spec.volumes) ? spec.volumes : []), tokenVolume(name)];
  }

  function mirrorPodProblem(spec: Obj): string | undefined {
    if (str(spec.serviceAccountName)) return 'a mirror pod may not reference service accounts';
    if (podSecretNames(spec).length) return 'a mirror pod may not reference secrets';
    for (const v of objects(spec.volumes)) {
      if (objects(obj(v.projected)?.sources).some((s) => s.serviceAccountToken !== undefined)) return 'a mirror pod may not use ServiceAccountToken volume projections';
    }
    return undefined;
  }

  function mountableSecretsProblem(sa: KubeObject, spec: Obj): string | undefined {
    const saName = sa.metadata.name!;
    const mountable = new Set(objects(sa.secrets).map((s) => str(s.name)));
    for (const v of objects(spec.volumes)) {
      const secret = obj(v.secret);
      if (secret && !mountable.has(str(secret.secretName))) {
        return `volume with secret.secretName="${str(secret.secretName)}" is not allowed because service account ${saName} does not reference that secret`;
      }
    }
    for (const [key, what] of [['initContainers', 'init container'], ['containers', 'container']] as const) {
      for (const c of objects(spec[key])) {
        for (const e of objects(c.env)) {
          const ref = obj(obj(e.valueFrom)?.secretKeyRef);
          if (ref && !mountable.has(str(ref.name))) {
            return `${what} ${str(c.name)} with envVar ${str(e.name)} referencing secret.secretName="${str(ref.name)}" is not allowed because service account ${saName} does not reference that secret`;
          }
        }
      }
    }
    const pullable = new Set(objects(sa.imagePullSecrets).map((s) => str(s.name)));
    let problem: string | undefined;
    objects(spec.imagePullSecrets).forEach((ref, i) => {
      if (!problem && !pullable.has(str(ref.name))) problem = `imagePullSecrets[${i}].name="${str(ref.name)}" is not allowed because service account ${saName} does not reference that imagePullSecret`;
    });
    return problem;
  }

  const isMirror = (pod: KubeObject) => pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined;

  /** The validating step, which the mutating step also ends with (as upstream's Admit calls Validate). */
  async function check(a: AdmissionAttributes): Promise<void> {
    const pod = a.object!;
    const spec = specToFill(pod);
    if (isMirror(pod)) {
      const problem = mirrorPodProblem(spec);
      if (problem) throw deny(a, problem);
      return;
    }
    const sa = await getServiceAccount(a, str(spec.serviceAccountName));
    if (goTrue(sa.metadata.annotations?.[ENFORCE_MOUNTABLE_SECRETS_ANNOTATION])) {
      const problem = mountableSecretsProblem(sa, spec);
      if (problem) throw deny(a, problem);
    }
  }

  return {
    name: 'ServiceAccount',
    async admit(a) {
      if (!applies(a)) return;
      const pod = a.object!;
      // Mirror pods are never changed (the kubelet would not recognise them); check only rejects.
      if (isMirror(pod)) return check(a);
      const spec = specToFill(pod);
      if (!str(spec.serviceAccountName)) spec.serviceAccountName = DEFAULT_SERVICE_ACCOUNT;
      const sa = await getServiceAccount(a, str(spec.serviceAccountName));
      const automount = typeof spec.automountServiceAccountToken === 'boolean' ? spec.automountServiceAccountToken : typeof sa.automountServiceAccountToken === 'boolean' ? sa.automountServiceAccountToken : true;
      if (automount) mountToken(spec, a.ctx.random);
      const pullSecrets = objects(sa.imagePullSecrets);
      if (!objects(spec.imagePullSecrets).length && pullSecrets.length) spec.imagePullSecrets = pullSecrets.map((s) => ({ name: str(s.name) }));
      return check(a);
    },
    async validate(a) {
      if (applies(a)) await check(a);
    },
  };
}
