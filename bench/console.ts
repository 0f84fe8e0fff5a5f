// (15) The web console with 10,000 bindings: from navigation start to the page's ready mark, in
// headless Chromium (a cold browser context each load), beside the same page with 10 bindings and
// beside fetching the LISTs the console reads, with the same token, from a page of the same origin.
// The sign-in link is made by `badge console --print-url`, as the admin makes it.
// `node dist/bench/console.js [quick]` runs it alone.
//
// The contract with the console (src/console/): once the subjects list is rendered and interactive
// after sign-in, the page calls performance.mark('badge-console-ready') and sets
// document.documentElement.dataset.consoleState = 'ready'.
import { execFileSync } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { median, progress, progressDone } from './measure.js';
import { chromiumMissing, launchChromium } from '../src/testing/chromium.js';
import { must, parallel } from './scenarios.js';
import { BADGE, startBenchServer, type BenchServer } from './server.js';
import { ACCESS_LISTS, NAMESPACE_LIST, PAGE_SIZE, pageUrl } from '../src/access/lists.js';

const READY_MARK = 'badge-console-ready';
const READY_TIMEOUT_MS = 30_000;
const RBAC = 'rbac.authorization.k8s.io';
/** The lists the console reads at sign-in (src/console/live.ts: the namespaces, then the CLI's lists), each as its first page and Accept header. */
const CONSOLE_LISTS = [NAMESPACE_LIST, ...ACCESS_LISTS].map((s) => ({ first: pageUrl(`${s.prefix}/${s.resource}`, s, PAGE_SIZE), accept: s.accept ?? 'application/json' }));

export interface ConsoleRow {
  bindings: number;
  smallBindings: number;
  /** From navigation start to the ready mark (ms), median and each load, with `bindings` and with `smallBindings` bindings; absent when `error` says why. */
  ready?: { ms: number; runs: number[]; smallMs: number; smallRuns: number[]; apiRequests: string[] };
  /** Why the console could not be measured. */
  error?: string;
  /** Fetching and parsing CONSOLE_LISTS at `bindings` bindings from a page, all at once, each page by page (ms, median), and their size. */
  listsMs: number;
  listsBytes: number;
  /** Objects created to set up `bindings` bindings, and how fast. */
  objectsCreated: number;
  createsPerSec: number;
}

/**
 * The objects of `n` bindings, as a platform with many teams has them: half RoleBindings spread
 * over up to 100 namespaces (to a Role of the namespace, or to view or edit), half
 * ClusterRoleBindings (view, edit or admin); their subjects ServiceAccounts (one for each five
 * bindings, made too), users and groups. The namespaces are to be made first; the rest (the
 * Roles, ServiceAccounts and bindings) in any order.
 */
export function consoleObjects(n: number): { namespaces: { path: string; body: object }[]; rest: { path: string; body: object }[] } {
  const count = Math.min(100, Math.max(1, Math.ceil(n / 100)));
  const accounts = Math.max(1, Math.ceil(n / 5 / count));
  const ns = (i: number) => `team-${i % count}`;
  const sa = (i: number) => ({ kind: 'ServiceAccount', name: `app-${Math.floor(i / count) % accounts}`, namespace: ns(i) });
  const user = (name: string) => ({ kind: 'User', apiGroup: RBAC, name });
  const group = (name: string) => ({ kind: 'Group', apiGroup: RBAC, name });
  const namespaces: { path: string; body: object }[] = [];
  for (let k = 0; k < count; k++) namespaces.push({ path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team-${k}` } } });
  const rest: { path: string; body: object }[] = [];
  for (let k = 0; k < count; k++) {
    rest.push({ path: `/apis/${RBAC}/v1/namespaces/team-${k}/roles`, body: { apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name: 'app-editor' }, rules: [{ apiGroups: ['', 'apps'], resources: ['configmaps', 'deployments'], verbs: ['get', 'list', 'watch', 'update', 'patch'] }] } });
    for (let a = 0; a < accounts; a++) rest.push({ path: `/api/v1/namespaces/team-${k}/serviceaccounts`, body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `app-${a}` } } });
  }
  for (let i = 0; i < n; i++) {
    const half = Math.floor(i / 2);
    if (i % 2 === 0) {
      const roleRef = half % 3 === 0 ? { apiGroup: RBAC, kind: 'Role', name: 'app-editor' } : { apiGroup: RBAC, kind: 'ClusterRole', name: half % 3 === 1 ? 'view' : 'edit' };
      const subjects = [sa(half), ...(half % 3 === 0 ? [user(`dev-${half % 500}@example.com`)] : []), ...(half % 5 === 0 ? [group(`${ns(half)}-devs`)] : [])];
      rest.push({ path: `/apis/${RBAC}/v1/namespaces/${ns(half)}/rolebindings`, body: { apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: { name: `binding-${half}` }, roleRef, subjects } });
    } else {
      const roleRef = { apiGroup: RBAC, kind: 'ClusterRole', name: ['view', 'edit', 'admin'][half % 3]! };
      const subjects = [sa(half), ...(half % 2 === 0 ? [user(`user-${half % 1000}@example.com`)] : []), ...(half % 4 === 0 ? [group(`group-${half % 200}`)] : [])];
      rest.push({ path: `/apis/${RBAC}/v1/clusterrolebindings`, body: { apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: { name: `team-binding-${half}` }, roleRef, subjects } });
    }
  }
  return { namespaces, rest };
}

/** Creates the objects of `n` bindings through the API, 16 at once over keep-alive; the count and rate. */
async function setUp(s: BenchServer, n: number): Promise<{ objects: number; perSec: number }> {
  const { namespaces, rest } = consoleObjects(n);
  const started = performance.now();
  let done = 0;
  const create = async ({ path, body }: { path: string; body: object }) => {
    await must(s.api('POST', path, body), `POST ${path}`);
    if (++done % 1000 === 0) progress(`console: creating objects ${done.toLocaleString('en-US')}/${(namespaces.length + rest.length).toLocaleString('en-US')}`);
  };
  await parallel(namespaces, 16, create);
  await parallel(rest, 16, create);
  return { objects: done, perSec: (done * 1000) / (performance.now() - started) };
}

/** The sign-in link `badge console --print-url` prints for the server's admin. */
function signInUrl(s: BenchServer): string {
  return execFileSync(process.execPath, [BADGE, 'console', '--print-url', '--data-dir', s.dataDir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

/** One load of the sign-in link in a new browser context: ms from navigation start to the ready mark, and the API requests made until then. */
async function loadConsole(browser: Browser, url: string): Promise<{ readyMs: number; apiRequests: string[] }> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    const apiRequests: string[] = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (/^\/apis?(\/|$)/.test(u.pathname)) apiRequests.push(`${r.method()} ${u.pathname}${u.search}`);
    });
    const response = await page.goto(url, { waitUntil: 'commit' });
    try {
      // A selector, not waitForFunction: the console's Content-Security-Policy forbids the eval that a predicate needs.
      await page.locator('html[data-console-state="ready"]').waitFor({ state: 'attached', timeout: READY_TIMEOUT_MS });
    } catch {
      const state = await page.evaluate(`document.documentElement.dataset.consoleState`).catch(() => 'unknown: the page is gone');
      throw new Error(
        `the console never became ready within ${READY_TIMEOUT_MS / 1000} s (GET /console/ answered ${response?.status() ?? 'nothing'}, data-console-state is ${JSON.stringify(state ?? null)}): ` +
          `the page must call performance.mark('${READY_MARK}') and set document.documentElement.dataset.consoleState = 'ready' once the subjects list is rendered and interactive after sign-in`,
      );
    }
    const seen = [...apiRequests];
    const readyMs = (await page.evaluate(`performance.getEntriesByName('${READY_MARK}')[0]?.startTime`)) as number | undefined;
    if (readyMs === undefined) throw new Error(`the console set data-console-state=ready without the performance mark '${READY_MARK}'`);
    return { readyMs, apiRequests: seen };
  } finally {
    await context.close();
  }
}

/** Fetches and parses CONSOLE_LISTS all at once, each page by page, with `token`, from a page of the server's origin in a new context, as the console does. */
async function fetchLists(browser: Browser, origin: string, token: string): Promise<{ ms: number; bytes: number }> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  try {
    const page = await context.newPage();
    await page.goto(`${origin}/version`);
    return await page.evaluate(async ({ lists, token }) => {
      const start = performance.now();
      const sizes = await Promise.all(
        lists.map(async ({ first, accept }) => {
          let bytes = 0;
          let cont = '';
          do {
            // As the console asks: unindented, no cookies or client certificate, PAGE_SIZE items a page.
            const path = `${first}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`;
            const res = await fetch(`${path}&pretty=false`, { headers: { Authorization: `Bearer ${token}`, Accept: accept }, cache: 'no-store', credentials: 'omit' });
            const text = await res.text();
            if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${text}`);
            cont = (JSON.parse(text) as { metadata?: { continue?: string } }).metadata?.continue ?? '';
            bytes += text.length;
          } while (cont);
          return bytes;
        }),
      );
      return { ms: performance.now() - start, bytes: sizes.reduce((a, b) => a + b, 0) };
    }, { lists: CONSOLE_LISTS, token });
  } finally {
    await context.close();
  }
}

/** A server with the objects of `n` bindings, and its sign-in link. */
async function serverWith(n: number): Promise<{ s: BenchServer; url: string; objects: number; perSec: number }> {
  const s = await startBenchServer();
  try {
    progress(`console: setting up ${n.toLocaleString('en-US')} bindings`);
    const { objects, perSec } = await setUp(s, n);
    return { s, url: signInUrl(s), objects, perSec };
  } catch (err) {
    await s.stop();
    throw err;
  }
}

/** `loads` loads of the link: the median and each. */
async function measureLoads(browser: Browser, url: string, loads: number, what: string): Promise<{ median: number; runs: number[]; apiRequests: string[] }> {
  const runs: number[] = [];
  let apiRequests: string[] = [];
  for (let i = 0; i < loads; i++) {
    progress(`console: ${what}, load ${i + 1} of ${loads}`);
    const load = await loadConsole(browser, url);
    if (i === 0) apiRequests = load.apiRequests;
    runs.push(load.readyMs);
  }
  return { median: median(runs), runs, apiRequests };
}

/**
 * The row: with `n` bindings, the LIST baseline and `loads` loads of the console, then `loads` with
 * `small` bindings on a second server. A console that never becomes ready leaves the ready figures
 * out and says why in `error`.
 */
export async function consoleBench(loads = 5, n = 10_000, small = 10): Promise<ConsoleRow> {
  const missing = chromiumMissing();
  if (missing) throw new Error(missing);
  const browser = await launchChromium();
  try {
    const many = await serverWith(n);
    const row: ConsoleRow = { bindings: n, smallBindings: small, listsMs: 0, listsBytes: 0, objectsCreated: many.objects, createsPerSec: many.perSec };
    let big: Awaited<ReturnType<typeof measureLoads>>;
    try {
      const { origin, hash } = new URL(many.url);
      const token = new URLSearchParams(hash.slice(1)).get('token')!;
      const lists: { ms: number; bytes: number }[] = [];
      for (let i = 0; i < loads; i++) {
        progress(`console: the console's lists at ${n.toLocaleString('en-US')} bindings from a page, ${i + 1} of ${loads}`);
        lists.push(await fetchLists(browser, origin, token));
      }
      row.listsMs = median(lists.map((l) => l.ms));
      row.listsBytes = lists[0]!.bytes;
      big = await measureLoads(browser, many.url, loads, `${n.toLocaleString('en-US')} bindings`);
    } catch (err) {
      return { ...row, error: (err as Error).message };
    } finally {
      await many.s.stop();
    }
    const few = await serverWith(small);
    try {
      const smallLoads = await measureLoads(browser, few.url, loads, `${small} bindings`);
      return { ...row, ready: { ms: big.median, runs: big.runs, smallMs: smallLoads.median, smallRuns: smallLoads.runs, apiRequests: big.apiRequests } };
    } finally {
      await few.s.stop();
    }
  } finally {
    await browser.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const row = await consoleBench(process.argv.includes('quick') ? 3 : 5);
  progressDone();
  console.log(JSON.stringify(row, null, 2));
}
