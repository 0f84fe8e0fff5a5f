// The cluster as the signed-in identity may read it, kept current: each list the analysis needs is
// read (cluster-wide, or per namespace where only that is allowed; PAGE_SIZE items a request) and
// then watched from its resourceVersion (bookmarks on, listed again on 410 Gone). What may not be
// read is said, by name.
import type { KubeObject } from '../api/meta.js';
import type { UserInfo } from '../api/user.js';
import { AccessPolicy } from '../access/policy.js';
import { splitSaUsername } from '../auth/tokens/claims.js';
import { AGGREGATED_DISCOVERY, BUILT_IN_RESOURCES, fromAggregatedDiscovery, ResourceTable, type AggregatedDiscovery } from '../access/resources.js';
import { replyMessage, Unauthorized, whoAmI, type Api } from './api.js';
import { ObjectSet, readList, watchEvents } from './object-set.js';
import { ACCESS_LISTS, NAMESPACE_LIST, PAGE_SIZE, pageUrl, type ListSpec } from '../access/lists.js';


/** Lists watched at most; others are polled. */
const MAX_WATCHES = 40;

/** Namespaces tried one by one when a namespaced list is refused cluster-wide. */
const MAX_NAMESPACES = 50;

/** Why a list could not be read cluster-wide, and where it could be read instead. */
export interface Denial {
  resource: string;
  /** The server's Forbidden message. */
  reason: string;
  /** Namespaces where it was read instead. */
  readIn: string[];
  /** Namespaces tried and refused too. */
  refusedIn: string[];
}

/** The sentence the console shows for a denial. */
export function denialText(username: string, d: Denial): string {
  const you = `You (${username || 'this token\u2019s identity'}) may not list ${d.resource} at the cluster scope`;
  if (d.readIn.length) return `${you}: the console shows those of namespace${d.readIn.length > 1 ? 's' : ''} ${d.readIn.join(', ')} only.`;
  if (d.refusedIn.length) return `${you}, nor in namespace${d.refusedIn.length > 1 ? 's' : ''} ${d.refusedIn.join(', ')}: what they hold is missing from every view.`;
  return `${you}: what they hold is missing from every view.`;
}

const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve) => {
  const t = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
});

export class LiveCluster {
  user: UserInfo = { username: '', groups: [] };
  resources = BUILT_IN_RESOURCES;
  readonly denials: Denial[] = [];
  /** The lists read, by path. */
  private readonly sets = new Map<string, ObjectSet>();
  private readonly abort = new AbortController();
  private pending?: ReturnType<typeof setTimeout>;

  private readonly debounceMs: number;
  private readonly pollMs: number;
  private readonly pageSize: number;

  /**
   * `changed` is called (`debounceMs` after the first of them) after watch events changed the
   * objects; `failed` when the token stops working. A list that may not be watched (or one past
   * MAX_WATCHES) is read again every `pollMs`. Lists are read `pageSize` items a request.
   */
  constructor(
    private readonly api: Api,
    private readonly changed: () => void,
    private readonly failed: (err: Error) => void,
    { debounceMs = 50, pollMs = 10_000, pageSize = PAGE_SIZE } = {},
  ) {
    this.debounceMs = debounceMs;
    this.pollMs = pollMs;
    this.pageSize = pageSize;
  }

  /** Reads everything once, every list at once (a 401 throws Unauthorized), then follows the watches. */
  async start(): Promise<void> {
    // Without a SelfSubjectReview (a server that refuses it) the identity goes unnamed; a refused token still ends here.
    const user = whoAmI(this.api).catch((err: Error) => (err instanceof Unauthorized ? Promise.reject(err) : { username: '', groups: [] }));
    const namespaces = this.read(NAMESPACE_LIST, '').then((read) => (read === true ? [...this.sets.get(this.pathOf(NAMESPACE_LIST, ''))!.items.values()].map((n) => n.metadata.name!) : []));
    const [who, resources] = await Promise.all([user, this.discover(), namespaces, ...ACCESS_LISTS.map((s) => this.readSource(s, namespaces, user))]);
    this.user = who;
    this.resources = resources;
    // Watches hold HTTP/2 streams (the server allows 100 a connection): past MAX_WATCHES, lists are read again every pollMs instead.
    let watches = 0;
    for (const [path, set] of this.sets) void (watches++ < MAX_WATCHES ? this.watch(path, set) : this.poll(path, set));
  }

  stop(): void {
    this.abort.abort();
    clearTimeout(this.pending);
  }

  /** The access policy of the objects read (or of `objects`, read before), with the server's resources: what the CLI builds from its lists. */
  policy(objects = this.objects()): AccessPolicy {
    return new AccessPolicy(objects, { resources: this.resources });
  }

  /** Every object read, each with its kind. */
  objects(): KubeObject[] {
    const out: KubeObject[] = [];
    for (const set of this.sets.values()) for (const o of set.items.values()) out.push(o);
    return out;
  }

  private pathOf(s: ListSpec, namespace: string): string {
    return `${s.prefix}${namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''}/${s.resource}`;
  }

  /** The server's resources (aggregated discovery); the built-in table when that cannot be read. */
  private async discover(): Promise<ResourceTable> {
    const docs = await Promise.all(['/api', '/apis'].map(async (path) => {
      const res = await this.api.request(path, { accept: AGGREGATED_DISCOVERY, signal: this.abort.signal });
      return res.ok && (res.headers.get('content-type') ?? '').includes('as=APIGroupDiscoveryList') ? ((await res.json()) as AggregatedDiscovery) : undefined;
    }));
    return docs.every((d) => d) ? new ResourceTable(fromAggregatedDiscovery(docs as AggregatedDiscovery[]), true) : BUILT_IN_RESOURCES;
  }

  /** A list read into its set (kept from then on): true; the Forbidden message when refused. */
  private async read(s: ListSpec, namespace: string): Promise<true | string> {
    const path = this.pathOf(s, namespace);
    const set = this.sets.get(path) ?? new ObjectSet(s);
    const answer = await this.fill(path, set);
    if (answer === true) this.sets.set(path, set);
    return answer;
  }

  /**
   * Lists `path` into `set`, page by page (`limit`/`continue`): true; the server's message when it
   * refused. The next page is asked for as soon as a page's continue token has come, and the page
   * parsed while the next is on its way. A continue refused with 410 (its snapshot compacted away)
   * is followed, as client-go's pager does, by the whole list in one request.
   */
  private async fill(path: string, set: ObjectSet): Promise<true | string> {
    const { spec } = set;
    const get = (limit: number, cont?: string) => this.api.request(pageUrl(path, spec, limit, cont), { accept: spec.accept, signal: this.abort.signal });
    const items: KubeObject[] = [];
    let reply = get(this.pageSize);
    let continued = false;
    for (;;) {
      const res = await reply;
      if (res.status === 410 && continued) {
        await res.body?.cancel();
        items.length = 0;
        continued = false;
        reply = get(0);
        continue;
      }
      if (!res.ok) return replyMessage(res);
      let next: Promise<Response> | undefined;
      const list = await readList(res, (cont) => {
        next = get(this.pageSize, cont);
        // Awaited next, unless this page fails first.
        next.catch(() => undefined);
      });
      for (const o of list.items ?? []) items.push(o);
      const cont = list.metadata?.continue;
      if (!cont) {
        set.replace(items, list.metadata?.resourceVersion ?? '');
        return true;
      }
      // A server that writes the continue token after the items: the next page is asked for now.
      reply = next ?? get(this.pageSize, cont);
      continued = true;
    }
  }

  /** A source cluster-wide, or else in each namespace known (the identity's own when none is). */
  private async readSource(s: ListSpec, namespaces: Promise<string[]>, user: Promise<UserInfo>): Promise<void> {
    const reason = await this.read(s, '');
    if (reason === true) return;
    const denial: Denial = { resource: s.resource, reason, readIn: [], refusedIn: [] };
    this.denials.push(denial);
    if (!s.namespaced) return;
    const [known, { username }] = await Promise.all([namespaces, user]);
    const tried = known.length ? known.slice(0, MAX_NAMESPACES) : [splitSaUsername(username)?.namespace ?? 'default'];
    await Promise.all(tried.map(async (ns) => ((await this.read(s, ns)) === true ? denial.readIn : denial.refusedIn).push(ns)));
    denial.readIn.sort();
    denial.refusedIn.sort();
  }

  private async watch(path: string, set: ObjectSet): Promise<void> {
    const { signal } = this.abort;
    while (!signal.aborted) {
      try {
        const query = `${set.spec.query ? `${set.spec.query}&` : ''}watch=1&allowWatchBookmarks=true&resourceVersion=${encodeURIComponent(set.resourceVersion)}`;
        const res = await this.api.request(`${path}?${query}`, { accept: set.spec.watchAccept ?? set.spec.accept, signal });
        let gone = res.status === 410;
        // It may list but not watch: list again every so often instead.
        if (res.status === 403) return this.poll(path, set);
        if (res.ok && res.body) {
          for await (const event of watchEvents(res.body)) {
            if (event.type === 'ERROR') {
              gone = event.object.code === 410;
              break;
            }
            if (set.apply(event)) this.schedule();
          }
        } else if (!gone) await sleep(1000, signal);
        // The resourceVersion is too old: list again, and watch from the new one.
        if (gone && (await this.fill(path, set)) === true) this.schedule();
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof Unauthorized) return this.failed(err);
        await sleep(1000, signal);
      }
    }
  }

  private async poll(path: string, set: ObjectSet): Promise<void> {
    const { signal } = this.abort;
    while (!signal.aborted) {
      await sleep(this.pollMs, signal);
      try {
        if (!signal.aborted && (await this.fill(path, set)) === true) this.schedule();
      } catch (err) {
        if (err instanceof Unauthorized) return this.failed(err);
      }
    }
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.changed();
    }, this.debounceMs);
  }
}
