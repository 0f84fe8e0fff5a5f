// The console's entry: sign-in (form or `#token=` fragment, cleared at once), the live cluster as
// the signed-in identity reads it, the policy built from it (again, debounced, after watch events),
// and the view the address names.
import type { KubeObject } from '../../api/meta.js';
import type { AccessPolicy } from '../../access/policy.js';
import { Unauthorized, bearerApi } from '../api.js';
import { parseRoute, parseSignIn, routeHash } from '../address.js';
import { objectsByRef, refKey } from '../graph-model.js';
import { denialText, LiveCluster } from '../live.js';
import { listSubjects } from '../subjects.js';
import type { View, ViewContext } from './context.js';
import { h, link } from './dom.js';
import { findingsView } from './findings-view.js';
import { signInForm, TOKEN_KEY } from './sign-in.js';
import { subjectView } from './subject-view.js';
import { subjectsView } from './subjects-view.js';
import { whoCanView } from './who-can-view.js';
import { yamlDialog } from './yaml-dialog.js';

const app = document.getElementById('app')!;
const yaml = yamlDialog();
let live: LiveCluster | undefined;
let ctx: ViewContext | undefined;
let view: View | undefined;
let ready = false;

function signOut(message = ''): void {
  live?.stop();
  live = ctx = view = undefined;
  sessionStorage.removeItem(TOKEN_KEY);
  document.documentElement.dataset.consoleState = 'signed-out';
  app.replaceChildren(signInForm(message, (token) => void signIn(token)));
}

function buildContext(cluster: LiveCluster): ViewContext {
  const objects = cluster.objects();
  let policy: AccessPolicy | undefined;
  let byRef: Map<string, KubeObject> | undefined;
  const refs = () => (byRef ??= objectsByRef(objects));
  return {
    policy: () => (policy ??= cluster.policy(objects)),
    subjects: listSubjects(objects),
    objects: refs,
    showYaml: (ref) => void yaml.show(`${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`, refs().get(refKey(ref))),
  };
}

function shell(cluster: LiveCluster, main: HTMLElement): HTMLElement {
  const nav = h('nav', { 'aria-label': 'Views' }, link('#/subjects', 'Subjects'), link('#/who-can', 'Who can…'), link('#/findings', 'Findings'));
  const who = h('span', { class: 'identity' }, 'Signed in as ', h('strong', {}, cluster.user.username || '(an identity the server did not name)'));
  const out = h('button', { type: 'button', onclick: () => signOut() }, 'Sign out');
  const denials = cluster.denials.length
    ? h('div', { class: 'denials', role: 'alert' }, h('strong', {}, 'Not allowed: '), h('ul', {}, ...cluster.denials.map((d) => h('li', {}, denialText(cluster.user.username, d), h('div', { class: 'muted' }, d.reason)))))
    : null;
  return h('div', { class: 'shell' }, h('header', {}, h('a', { class: 'brand', href: '#/subjects' }, 'Badge console'), nav, who, out), denials ?? '', main, yaml.el);
}

function route(): void {
  if (!ctx) return;
  const r = parseRoute(location.hash);
  view = r.view === 'subject' ? subjectView(ctx, r.subject) : r.view === 'who-can' ? whoCanView(ctx) : r.view === 'findings' ? findingsView(ctx) : subjectsView(ctx);
  document.getElementById('main')!.replaceChildren(view.el);
  for (const a of document.querySelectorAll('nav a')) a.toggleAttribute('aria-current', a.getAttribute('href') === `#/${r.view === 'subject' ? 'subjects' : r.view}`);
  if (!ready) {
    ready = true;
    performance.mark('badge-console-ready');
    document.documentElement.dataset.consoleState = 'ready';
  }
}

async function signIn(token: string): Promise<void> {
  sessionStorage.setItem(TOKEN_KEY, token);
  document.documentElement.dataset.consoleState = 'loading';
  app.replaceChildren(h('p', { class: 'loading' }, 'Reading the cluster…'));
  const cluster = new LiveCluster(bearerApi(token), () => {
    if (live !== cluster) return;
    ctx = buildContext(cluster);
    view?.update(ctx);
  }, (err) => signOut(err.message));
  live = cluster;
  try {
    await cluster.start();
  } catch (err) {
    if (live !== cluster) return;
    return signOut(err instanceof Unauthorized ? `The server refused the token: ${err.message}` : `The cluster could not be read: ${(err as Error).message}`);
  }
  if (live !== cluster) return;
  ctx = buildContext(cluster);
  app.replaceChildren(shell(cluster, h('main', { id: 'main' })));
  ready = false;
  route();
}

window.addEventListener('hashchange', () => {
  const fragment = parseSignIn(location.hash);
  if (fragment) return start();
  route();
  // Keyboard and screen reader users land on the new view's heading.
  const heading = document.getElementById('main')?.querySelector('h1');
  heading?.setAttribute('tabindex', '-1');
  heading?.focus();
});

/** A `#token=` fragment signs in (and leaves the address bar at once); else the tab's token, if any. */
function start(): void {
  const fragment = parseSignIn(location.hash);
  if (fragment) {
    history.replaceState(null, '', `${location.pathname}${location.search}${routeHash(fragment.subject ? { view: 'subject', subject: fragment.subject } : { view: 'subjects' })}`);
    live?.stop();
    void signIn(fragment.token);
    return;
  }
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) void signIn(token);
  else signOut();
}

start();
