// The tokens controller (pkg/controller/serviceaccount/tokens_controller.go) for legacy Secret
// tokens. It never creates Secrets; it fills in Secrets of type service-account-token (a legacy
// JWT, the CA, the namespace, the account's uid), deletes those whose account is gone, and takes
// deleted Secrets off their account's `secrets` list.
import type { Secret, ServiceAccount } from '../api/kinds.js';
import type { KubeObject } from '../api/meta.js';
import { R, type Client } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { waitForSync } from '../client/informer.js';
import { WorkQueue } from '../client/queue.js';
import { isNotFound } from '../api/errors.js';
import { SECRET_TYPE_SERVICE_ACCOUNT_TOKEN, SERVICE_ACCOUNT_NAME_KEY, SERVICE_ACCOUNT_UID_KEY } from '../api/well-known.js';

export interface TokensControllerDeps {
  client: Client;
  informers: InformerFactory;
  /** Signs the legacy token of a ServiceAccount's token Secret. */
  sign: SignLegacyToken;
  /** The cluster CA certificate (PEM) put in each token Secret as ca.crt. */
  rootCA: string;
}

interface SecretKey {
  namespace: string;
  name: string;
  uid: string;
  saName: string;
  saUid: string;
}

interface AccountKey {
  namespace: string;
  name: string;
  uid: string;
}

const annotation = (o: KubeObject, key: string) => o.metadata.annotations?.[key] ?? '';
const dataOf = (o: Secret) => o.data ?? {};
const decoded = (v: string | undefined) => Buffer.from(v ?? '', 'base64');
const code = (err: unknown) => (err as { code?: number }).code;

export const isTokenSecret = (o: Secret) => o.type === SECRET_TYPE_SERVICE_ACCOUNT_TOKEN;

/** IsServiceAccountToken: a token Secret naming this account, with its uid or none. */
export function isTokenOf(secret: Secret, sa: { name: string; uid: string }): boolean {
  if (!isTokenSecret(secret) || annotation(secret, SERVICE_ACCOUNT_NAME_KEY) !== sa.name) return false;
  const uid = annotation(secret, SERVICE_ACCOUNT_UID_KEY);
  return !uid || uid === sa.uid;
}

/** Signs the token of the Secret `secretName` for the ServiceAccount `sa` (issuer kubernetes/serviceaccount). */
export type SignLegacyToken = (namespace: string, sa: { name: string; uid: string }, secretName: string) => Promise<string>;

export function tokensController({ client, informers, sign, rootCA }: TokensControllerDeps) {
  const serviceAccounts = informers.forResource(R.serviceaccounts);
  const secrets = informers.forResource(R.secrets);
  const accountQueue = new WorkQueue('tokens-controller (serviceaccounts)', (k) => syncAccount(JSON.parse(k) as AccountKey));
  const secretQueue = new WorkQueue('tokens-controller (secrets)', (k) => syncSecret(JSON.parse(k) as SecretKey));
  const ca = Buffer.from(rootCA);

  /** The account from the cache (or, when asked, the API), if it has this uid (when one is given). */
  async function getAccount(namespace: string, name: string, uid: string, live: boolean): Promise<ServiceAccount | undefined> {
    const cached = serviceAccounts.get(namespace, name);
    if (cached && (!uid || cached.metadata.uid === uid)) return cached;
    if (!live) return undefined;
    try {
      const sa = await client.get(R.serviceaccounts, namespace, name);
      return !uid || sa.metadata.uid === uid ? sa : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async function deleteToken(namespace: string, name: string, uid: string): Promise<void> {
    try {
      await client.delete(R.secrets, namespace, name, uid ? { preconditions: { uid } } : {});
    } catch (err) {
      // Gone already, or the uid precondition failed (another Secret took the name): done.
      if (!isNotFound(err) && code(err) !== 409) throw err;
    }
  }

  async function syncAccount({ namespace, name, uid }: AccountKey): Promise<void> {
    if (await getAccount(namespace, name, uid, false)) return;
    const tokens = secrets.list(namespace).filter((s) => isTokenOf(s, { name, uid }));
    const errors: unknown[] = [];
    for (const t of tokens) await deleteToken(namespace, t.metadata.name!, t.metadata.uid!).catch((err) => errors.push(err));
    if (errors.length) throw errors[0];
  }

  function needs(secret: Secret) {
    const data = dataOf(secret);
    return {
      ca: ca.length > 0 && !decoded(data['ca.crt']).equals(ca),
      namespace: decoded(data.namespace).length === 0,
      token: decoded(data.token).length === 0,
    };
  }
  const any = (n: ReturnType<typeof needs>) => n.ca || n.namespace || n.token;

  async function syncSecret(key: SecretKey): Promise<void> {
    const cached = secrets.get(key.namespace, key.name);
    const secret = cached && cached.metadata.uid === key.uid ? cached : undefined;
    if (!secret) {
      // Deleted: take it off its account's list.
      if (!(await getAccount(key.namespace, key.saName, key.saUid, false))) return;
      try {
        await client.mutate(R.serviceaccounts, key.namespace, key.saName, (sa) => {
          if (key.saUid && sa.metadata.uid !== key.saUid) return sa;
          const refs = sa.secrets ?? [];
          if (refs.some((r) => r.name === key.name)) sa.secrets = refs.filter((r) => r.name !== key.name);
          return sa;
        });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      return;
    }
    const sa = await getAccount(key.namespace, key.saName, key.saUid, true);
    if (!sa) return deleteToken(key.namespace, key.name, key.uid);
    if (!any(needs(secret))) return;

    let live: Secret;
    try {
      live = await client.get(R.secrets, key.namespace, key.name);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    // An out-of-date view: the update on its way brings another sync.
    if (live.metadata.resourceVersion !== secret.metadata.resourceVersion) return;
    const need = needs(live);
    if (!any(need)) return;
    const data = { ...dataOf(live) };
    if (need.ca) data['ca.crt'] = ca.toString('base64');
    if (need.namespace) data.namespace = Buffer.from(live.metadata.namespace!).toString('base64');
    if (need.token) {
      const token = await sign(live.metadata.namespace!, { name: sa.metadata.name!, uid: sa.metadata.uid! }, live.metadata.name!);
      data.token = Buffer.from(token).toString('base64');
    }
    live.data = data;
    live.metadata.annotations = { ...live.metadata.annotations, [SERVICE_ACCOUNT_NAME_KEY]: sa.metadata.name!, [SERVICE_ACCOUNT_UID_KEY]: sa.metadata.uid! };
    try {
      await client.update(R.secrets, key.namespace, live);
    } catch (err) {
      if (!isNotFound(err) && code(err) !== 409) throw err;
    }
  }

  const queueAccount = (o: KubeObject) => accountQueue.add(JSON.stringify({ namespace: o.metadata.namespace, name: o.metadata.name, uid: o.metadata.uid }));
  const queueSecret = (o: Secret) => {
    if (!isTokenSecret(o)) return;
    const saName = annotation(o, SERVICE_ACCOUNT_NAME_KEY);
    if (!saName) return;
    const key: SecretKey = { namespace: o.metadata.namespace!, name: o.metadata.name!, uid: o.metadata.uid!, saName, saUid: annotation(o, SERVICE_ACCOUNT_UID_KEY) };
    secretQueue.add(JSON.stringify(key));
  };
  return {
    async start() {
      informers.start();
      await waitForSync(serviceAccounts, secrets);
      serviceAccounts.on({ add: queueAccount, update: (_, o) => queueAccount(o), delete: queueAccount });
      secrets.on({ add: queueSecret, update: (_, o) => queueSecret(o), delete: queueSecret });
    },
    stop() {
      accountQueue.stop();
      secretQueue.stop();
    },
  };
}
