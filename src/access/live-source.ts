// The live source: the objects the analysis needs, listed from a cluster over HTTPS as the
// kubeconfig's user (any client would do the same: the lists of lists.ts, page by page, and
// discovery), and which of them it could not read.
import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../api/meta.js';
import { yaml } from '../api/yaml.js';
import { ACCESS_LISTS, listItem, PAGE_SIZE, pageUrl, type ListSpec } from './lists.js';
import { AGGREGATED_DISCOVERY as AGGREGATED, BUILT_IN_RESOURCES, fromAggregatedDiscovery, fromResourceLists, ResourceTable, type AggregatedDiscovery, type KnownResource, type ResourceList } from './resources.js';

interface Named<T> {
  name: string;
  [k: string]: unknown;
  cluster?: T;
  user?: T;
  context?: T;
}

interface Kubeconfig {
  'current-context'?: string;
  contexts?: Named<{ cluster: string; user: string; namespace?: string }>[];
  clusters?: Named<{ server: string; 'certificate-authority-data'?: string; 'certificate-authority'?: string; 'insecure-skip-tls-verify'?: boolean }>[];
  users?: Named<{ 'client-certificate-data'?: string; 'client-certificate'?: string; 'client-key-data'?: string; 'client-key'?: string; token?: string }>[];
}

export interface LiveTarget {
  server: string;
  namespace: string;
  tls: { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized: boolean };
  token?: string;
}

const dataOr = (data: string | undefined, file: string | undefined) => (data ? Buffer.from(data, 'base64') : file ? readFileSync(file) : undefined);

/** The server, credentials and namespace of a kubeconfig's context (current one by default). */
export function loadKubeconfig(path = process.env.KUBECONFIG?.split(':')[0] || join(homedir(), '.kube', 'config'), contextName?: string): LiveTarget {
  const kc = yaml().parse(readFileSync(path, 'utf8')) as Kubeconfig;
  const name = contextName ?? kc['current-context'];
  const context = kc.contexts?.find((c) => c.name === name)?.context;
  if (!context) throw new Error(`${path}: no context ${JSON.stringify(name ?? '')}`);
  const cluster = kc.clusters?.find((c) => c.name === context.cluster)?.cluster;
  const user = kc.users?.find((u) => u.name === context.user)?.user ?? {};
  if (!cluster) throw new Error(`${path}: no cluster ${JSON.stringify(context.cluster)}`);
  return {
    server: cluster.server.replace(/\/+$/, ''),
    namespace: context.namespace || 'default',
    tls: {
      ca: dataOr(cluster['certificate-authority-data'], cluster['certificate-authority']),
      cert: dataOr(user['client-certificate-data'], user['client-certificate']),
      key: dataOr(user['client-key-data'], user['client-key']),
      rejectUnauthorized: !cluster['insecure-skip-tls-verify'],
    },
    ...(user.token ? { token: user.token } : {}),
  };
}

interface Answer {
  status: number;
  contentType: string;
  body: { items?: KubeObject[]; message?: string; kind?: string; metadata?: { continue?: string } } & AggregatedDiscovery & ResourceList & { groups?: { preferredVersion?: { groupVersion: string }; versions?: { groupVersion: string }[] }[] };
}

/** Options of a request: GET unless `method` says; `body` is sent as JSON. */
export interface RequestOptions {
  method?: string;
  body?: unknown;
  accept?: string;
  userAgent?: string;
}

/** One request to the target's server as the kubeconfig's user, its JSON reply parsed. */
export function requestJson(target: LiveTarget, path: string, opts: RequestOptions = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = new URL(target.server + path);
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const headers = {
      Accept: opts.accept ?? 'application/json',
      'User-Agent': opts.userAgent ?? 'badge-access',
      ...(body !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) } : {}),
      ...(target.token ? { Authorization: `Bearer ${target.token}` } : {}),
    };
    const req = request(url, { ...target.tls, method: opts.method ?? 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        } catch (err) {
          reject(err);
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function getOk(target: LiveTarget, path: string, accept?: string): Promise<Answer> {
  const answer = await requestJson(target, path, { accept });
  if (answer.status !== 200) throw new Error(answer.body.message ?? `HTTP ${answer.status}`);
  return answer;
}

/** Every item of a list, page by page (`limit`/`continue`), each as `listItem` keeps it. */
async function listAll(target: LiveTarget, path: string, spec: ListSpec, pageSize: number): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  let cont: string | undefined;
  do {
    const { body } = await getOk(target, pageUrl(path, spec, pageSize, cont), spec.accept);
    for (const item of body.items ?? []) out.push(listItem(spec, item));
    cont = body.metadata?.continue || undefined;
  } while (cont);
  return out;
}

/**
 * The server's resources, from aggregated discovery (/api and /apis, as kubectl asks for it) or,
 * when the server does not serve it, from /api/v1 and each group version's resource list; `failed`
 * names the group versions whose list could not be read.
 */
export async function discover(target: LiveTarget): Promise<{ found: KnownResource[]; failed: string[] }> {
  const [core, groups] = await Promise.all([getOk(target, '/api', AGGREGATED), getOk(target, '/apis', AGGREGATED)]);
  const aggregated = (a: Answer) => a.contentType.includes('as=APIGroupDiscoveryList');
  if (aggregated(core) && aggregated(groups)) return { found: fromAggregatedDiscovery([core.body, groups.body]), failed: [] };
  const paths = [
    '/api/v1',
    ...(groups.body.groups ?? []).flatMap((g) => {
      const preferred = g.preferredVersion?.groupVersion;
      const all = (g.versions ?? []).map((v) => v.groupVersion);
      return [...(preferred ? [preferred] : []), ...all.filter((v) => v !== preferred)].map((gv) => `/apis/${gv}`);
    }),
  ];
  const failed: string[] = [];
  const lists = await Promise.all(
    paths.map((path) =>
      getOk(target, path).then(
        (a) => a.body as ResourceList,
        (err: Error) => (failed.push(`${path}: ${err.message}`), {}),
      ),
    ),
  );
  return { found: fromResourceLists(lists), failed };
}

/**
 * The objects of the lists, each item given its kind, and the resources the server serves (its
 * discovery; the built-in table, with a warning, when discovery cannot be read; unknown names
 * taken as namespaced when part of it cannot). A namespaced list
 * the user may not read cluster-wide is read in `namespace` alone; `unreadable` says what could
 * not be read, and why. Lists are read `pageSize` items a request.
 */
export async function loadLive(target: LiveTarget, namespace: string, pageSize = PAGE_SIZE): Promise<{ objects: KubeObject[]; unreadable: string[]; resources: ResourceTable }> {
  const objects: KubeObject[] = [];
  const unreadable: string[] = [];
  let resources = BUILT_IN_RESOURCES;
  await Promise.all([
    discover(target).then(
      ({ found, failed }) => {
        // A table with gaps cannot say that a resource does not exist.
        resources = new ResourceTable(found, !failed.length);
        unreadable.push(...failed.map((f) => `the discovery document ${f}`));
      },
      (err: Error) => void unreadable.push(`the server's discovery (/api, /apis; the built-in resource table is used): ${err.message}`),
    ),
    ...ACCESS_LISTS.map(async (spec) => {
      const { prefix, resource, namespaced } = spec;
      const all = `${prefix}/${resource}`;
      const shown = spec.query ? `${all}?${decodeURIComponent(spec.query)}` : all;
      try {
        objects.push(...(await listAll(target, all, spec, pageSize)));
      } catch (err) {
        if (namespaced) {
          try {
            objects.push(...(await listAll(target, `${prefix}/namespaces/${encodeURIComponent(namespace)}/${resource}`, spec, pageSize)));
            unreadable.push(`${shown} (read in namespace ${namespace} only): ${(err as Error).message}`);
            return;
          } catch {
            // Report the cluster-wide failure.
          }
        }
        unreadable.push(`${shown}: ${(err as Error).message}`);
      }
    }),
  ]);
  return { objects, unreadable: unreadable.sort(), resources };
}
