// Legacy token tracking and clean-up.
//  - The tracking ConfigMap (pkg/controlplane/controller/legacytokentracking): kube-system's
//    `kube-apiserver-legacy-service-account-token-tracking` records since when the server labels
//    legacy token Secrets with their last use (`data.since`, a UTC date).
//  - The cleaner (pkg/controller/serviceaccount/legacy_serviceaccount_token_cleaner.go): once the
//    tracking is older than the clean-up period, an auto-generated token Secret (listed in its
//    account's `secrets`) that no pod uses and nobody used for a period is first labelled invalid,
//    then, a period later, deleted.
import type { Clock } from '../api/clock.js';
import type { ConfigMap, Secret, ServiceAccount } from '../api/kinds.js';
import type { KubeObject } from '../api/meta.js';
import { R, type Client } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { waitForSync } from '../client/informer.js';
import { WorkQueue } from '../client/queue.js';
import { isTokenSecret } from './tokens.js';
import { isNotFound } from '../api/errors.js';
import { INVALID_SINCE_LABEL, LAST_USED_LABEL, SERVICE_ACCOUNT_NAME_KEY, SERVICE_ACCOUNT_UID_KEY } from '../api/well-known.js';
import { podSecretNames } from '../api/pod-secrets.js';

export const TRACKING_NAMESPACE = 'kube-system';
export const TRACKING_CONFIGMAP = 'kube-apiserver-legacy-service-account-token-tracking';
export const TRACKING_SINCE_KEY = 'since';
/** The tracking ConfigMap is created at most once per 30 minutes. */
const CREATION_INTERVAL_MS = 30 * 60_000;
/** DefaultCleanerSyncInterval */
export const DEFAULT_CLEANER_SYNC_INTERVAL_MS = 24 * 3600_000;
/** --legacy-service-account-token-clean-up-period default: 8760h. */
export const DEFAULT_CLEAN_UP_PERIOD_SECONDS = 365 * 24 * 3600;
const DAY_MS = 24 * 3600_000;

const code = (err: unknown) => (err as { code?: number }).code;

/** The UTC date `YYYY-MM-DD` (Go layout 2006-01-02). */
export const utcDate = (d: Date) => d.toISOString().slice(0, 10);

/** time.Parse("2006-01-02", s): the date at 00:00 UTC, or undefined when `s` is not one. */
export function parseDate(s: string | undefined): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s ?? '');
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d); // unlike Date.UTC, keeps years before 100 as they are
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return date;
}

export interface LegacyTokensDeps {
  client: Client;
  informers: InformerFactory;
  clock: Clock;
  /** --legacy-service-account-token-clean-up-period, in seconds. */
  cleanUpPeriodSeconds: number;
  /** How much clock time passes between clean-ups (24 h). */
  syncIntervalMs?: number;
  /** How often, in real time, the controller looks at the clock (and at a missing tracking ConfigMap). */
  tickMs?: number;
}

export function legacyTokens(deps: LegacyTokensDeps) {
  const { client, clock, informers } = deps;
  const periodMs = deps.cleanUpPeriodSeconds * 1000;
  const syncIntervalMs = deps.syncIntervalMs ?? DEFAULT_CLEANER_SYNC_INTERVAL_MS;
  const configMaps = informers.forResource(R.configmaps);
  const serviceAccounts = informers.forResource(R.serviceaccounts);
  const secrets = informers.forResource(R.secrets);
  const pods = informers.forResource(R.pods);
  const trackingQueue = new WorkQueue('legacy-token-tracking-controller', syncTracking);
  let lastCreated: number | undefined;
  let lastRun: number | undefined;
  let running = false;
  let timer: NodeJS.Timeout | undefined;

  async function syncTracking(): Promise<void> {
    const cm = configMaps.get(TRACKING_NAMESPACE, TRACKING_CONFIGMAP);
    const now = clock.now();
    if (!cm) {
      const wait = lastCreated === undefined ? 0 : lastCreated + CREATION_INTERVAL_MS - now.getTime();
      if (wait > 0) return; // the tick tries again
      try {
        await client.create(R.configmaps, TRACKING_NAMESPACE, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: TRACKING_CONFIGMAP, namespace: TRACKING_NAMESPACE },
          data: { [TRACKING_SINCE_KEY]: utcDate(now) },
        });
        lastCreated = now.getTime();
      } catch (err) {
        if (code(err) !== 409) throw err;
      }
      return;
    }
    const data = cm.data ?? {};
    if (parseDate(data[TRACKING_SINCE_KEY])) return;
    try {
      await client.update(R.configmaps, TRACKING_NAMESPACE, { ...cm, data: { ...data, [TRACKING_SINCE_KEY]: utcDate(now) } });
    } catch (err) {
      if (!isNotFound(err) && code(err) !== 409) throw err;
    }
  }

  /** The account a token Secret names, if it exists with the uid the Secret names (if any). */
  function accountOf(secret: Secret): ServiceAccount | undefined {
    const name = secret.metadata.annotations?.[SERVICE_ACCOUNT_NAME_KEY];
    if (!name) return undefined;
    const sa = serviceAccounts.get(secret.metadata.namespace!, name);
    const uid = secret.metadata.annotations?.[SERVICE_ACCOUNT_UID_KEY];
    return sa && (!uid || uid === sa.metadata.uid) ? sa : undefined;
  }

  /** One clean-up pass (evaluateSATokens). */
  async function clean(): Promise<void> {
    const now = clock.now();
    let cm: ConfigMap;
    try {
      cm = await client.get(R.configmaps, TRACKING_NAMESPACE, TRACKING_CONFIGMAP);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    const since = parseDate(cm.data?.[TRACKING_SINCE_KEY]);
    if (!since) return;
    // Tracking is certain from the day after `since`; nothing is old enough before a period after that.
    if (now.getTime() < since.getTime() + DAY_MS + periodMs) return;
    const createdBefore = now.getTime() - periodMs;
    const usedBefore = utcDate(new Date(createdBefore));
    const mountedIn = new Map<string, Set<string>>();
    const mounted = (namespace: string) => {
      let names = mountedIn.get(namespace);
      if (!names) {
        names = new Set(pods.list(namespace).flatMap((p) => podSecretNames(p.spec ?? {})));
        mountedIn.set(namespace, names);
      }
      return names;
    };
    for (const secret of secrets.list()) {
      if (!isTokenSecret(secret)) continue;
      if (!(Date.parse(secret.metadata.creationTimestamp ?? '') < createdBefore)) continue;
      if (secret.metadata.deletionTimestamp) continue;
      const labels = secret.metadata.labels ?? {};
      const lastUsed = labels[LAST_USED_LABEL];
      if (lastUsed !== undefined && (!parseDate(lastUsed) || lastUsed >= usedBefore)) continue;
      const sa = accountOf(secret);
      if (!sa || !(sa.secrets ?? []).some((r) => r.name === secret.metadata.name)) continue;
      const namespace = secret.metadata.namespace!;
      const name = secret.metadata.name!;
      if (mounted(namespace).has(name)) continue;
      const invalidSince = labels[INVALID_SINCE_LABEL];
      try {
        if (!parseDate(invalidSince)) {
          await client.mutate(R.secrets, namespace, name, (cur) => {
            if (cur.metadata.uid === secret.metadata.uid) cur.metadata.labels = { ...cur.metadata.labels, [INVALID_SINCE_LABEL]: utcDate(now) };
            return cur;
          });
          continue;
        }
        if (invalidSince! >= usedBefore) continue;
        await client.delete(R.secrets, namespace, name, { preconditions: { resourceVersion: secret.metadata.resourceVersion } });
      } catch (err) {
        if (!isNotFound(err) && code(err) !== 409) console.error(`badge: legacy token cleaner ${namespace}/${name}:`, (err as Error).message);
      }
    }
  }

  function tick(): void {
    if (!configMaps.get(TRACKING_NAMESPACE, TRACKING_CONFIGMAP)) trackingQueue.add(TRACKING_CONFIGMAP);
    const now = clock.now().getTime();
    if (running || (lastRun !== undefined && now - lastRun < syncIntervalMs)) return;
    running = true;
    lastRun = now;
    clean()
      .catch((err) => console.error('badge: legacy token cleaner:', (err as Error).message))
      .finally(() => {
        running = false;
        // As wait.Until: the next run is an interval after this one ended.
        lastRun = clock.now().getTime();
      });
  }

  const isTracking = (o: KubeObject) => o.metadata.namespace === TRACKING_NAMESPACE && o.metadata.name === TRACKING_CONFIGMAP;
  const trackingChanged = (o: KubeObject) => isTracking(o) && trackingQueue.add(TRACKING_CONFIGMAP);
  return {
    async start() {
      informers.start();
      await waitForSync(configMaps, serviceAccounts, secrets, pods);
      configMaps.on({ add: trackingChanged, update: (_, o) => trackingChanged(o), delete: trackingChanged });
      await syncTracking().catch(() => trackingQueue.add(TRACKING_CONFIGMAP));
      tick();
      timer = setInterval(tick, deps.tickMs ?? 1000);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      trackingQueue.stop();
    },
    /** Runs a clean-up pass now (tests). */
    clean,
  };
}
