// The access console in a real headless Chromium (Debian's, driven by playwright-core): signed in
// with ServiceAccount tokens, against a Badge server holding the tutorial's examples, changed live
// by the real kubectl. Takes the README's screenshot of a subject's page (docs/console-subject.png).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launchChromium } from '../../src/testing/chromium.js';
import { startBadge, type Badge } from './harness.js';
import { EXAMPLES } from './tutorial.js';

const missing = chromiumMissing() ?? false;
const APP_READER = 'system:serviceaccount:default:app-reader';

/** A ServiceAccount that may read what the console reads (the lists of src/access/lists.ts, and namespaces), cluster-wide. */
const VIEWER = `apiVersion: v1
kind: ServiceAccount
metadata: {name: console-viewer, namespace: default}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: console-reader}
rules:
- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles, clusterrolebindings, roles, rolebindings], verbs: [get, list, watch]}
- {apiGroups: [""], resources: [serviceaccounts, pods, namespaces, secrets], verbs: [get, list, watch]}
- {apiGroups: [apps], resources: [deployments, statefulsets, daemonsets, replicasets], verbs: [get, list, watch]}
- {apiGroups: [batch], resources: [jobs, cronjobs], verbs: [get, list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: console-viewer}
subjects: [{kind: ServiceAccount, name: console-viewer, namespace: default}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: console-reader}
`;

/** Applied while the page is open. */
const NEW_BINDING = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: app-reader-view, namespace: default}
subjects: [{kind: ServiceAccount, name: app-reader, namespace: default}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
`;

describe('e2e: the access console in headless Chromium', { skip: missing }, () => {
  let b: Badge;
  let browser: Browser;
  let viewerToken: string;
  let readerToken: string;
  const errors: string[] = [];

  const open = async (hash = ''): Promise<Page> => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
    page.on('console', (m) => m.type() === 'error' && !/status of 40[13]/.test(m.text()) && errors.push(`console: ${m.text()}`));
    await page.goto(`${b.server.url}/console/${hash}`);
    return page;
  };
  const ready = (page: Page) => page.waitForSelector('html[data-console-state="ready"]', { timeout: 15_000 });
  const signIn = async (page: Page, token: string) => {
    await page.fill('#token', token);
    await page.click('button[type="submit"]');
    await ready(page);
  };

  before(async () => {
    b = await startBadge();
    for (const f of ['01-serviceaccount.yaml', '06-pod-reader.yaml', '08-legacy-token-secret.yaml']) await b.ok(['apply', '-f', join(EXAMPLES, f)]);
    await b.ok(['apply', '-f', '-'], VIEWER);
    viewerToken = (await b.ok(['create', 'token', 'console-viewer', '-n', 'default'])).trim();
    readerToken = (await b.ok(['create', 'token', 'app-reader', '-n', 'default'])).trim();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await b?.close();
  });

  it('serves its files to anyone, with a strict Content-Security-Policy; data calls still need a token', async () => {
    const page = await b.get('/console/');
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(String(page.headers['content-security-policy']), /default-src 'self'; script-src 'self'/);
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.match(page.text, /<script type="module" src="app.js"><\/script>/);
    const script = await b.get('/console/app.js');
    assert.equal(script.status, 200);
    assert.match(String(script.headers['content-type']), /^text\/javascript/);
    assert.equal((await b.get('/console/app.js', { 'If-None-Match': String(script.headers.etag) })).status, 304);
    const bare = await b.get('/console');
    assert.deepEqual([bare.status, bare.headers.location], [301, '/console/']);
    assert.equal((await b.get('/console/nothing.js')).status, 404);
    const data = await b.get('/apis/rbac.authorization.k8s.io/v1/rolebindings');
    assert.ok([401, 403].includes(data.status), `a data request without a token: ${data.status}`);
  });

  it('signs in with a ServiceAccount token, finds app-reader and shows list pods granted through read-pods; a new RoleBinding appears live', async () => {
    const page = await open();
    await signIn(page, viewerToken);
    await page.fill('#subject-search', 'app-reader');
    await page.click(`a[href="#/subject/${encodeURIComponent(APP_READER)}"]`);
    await page.waitForSelector('#subject-title');
    assert.equal(await page.textContent('#subject-title'), APP_READER);
    await page.click('tr[data-resource="pods"] td.yes button[aria-label^="list pods"]');
    assert.match((await page.textContent('.grants'))!, /list pods in namespace default[\s\S]*RoleBinding default\/read-pods → Role default\/pod-reader → rule 0: get, list, watch pods/);
    // The graph: subject → RoleBinding read-pods → Role pod-reader → its rule; a node shows its object's YAML.
    const binding = await page.waitForSelector('[data-node="RoleBinding/default/read-pods"]');
    await page.waitForSelector('[data-node="Role/default/pod-reader"]');
    await page.waitForSelector(`[data-edge="${APP_READER}→RoleBinding/default/read-pods"]`);
    mkdirSync('docs', { recursive: true });
    await page.screenshot({ path: 'docs/console-subject.png', fullPage: false });
    await binding.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('dialog[open] pre.yaml');
    assert.match((await page.textContent('dialog[open] pre.yaml'))!, /^apiVersion: rbac\.authorization\.k8s\.io\/v1\nkind: RoleBinding\nmetadata:\n[\s\S]*^ {2}name: read-pods$/m);
    await page.keyboard.press('Escape');
    // A binding applied with kubectl shows on the open page, through the watches.
    await b.ok(['apply', '-f', '-'], NEW_BINDING);
    await page.waitForSelector('[data-node="RoleBinding/default/app-reader-view"]', { timeout: 10_000 });
    await page.waitForSelector('tr[data-resource="configmaps"] td.yes');
    assert.deepEqual(errors, []);
  });

  it('as a subject that may not list RoleBindings, says what it may not list rather than showing an empty page', async () => {
    const page = await open();
    await signIn(page, readerToken);
    const text = (await page.textContent('.denials'))!;
    assert.match(text, /You \(system:serviceaccount:default:app-reader\) may not list rolebindings at the cluster scope, nor in namespace default/);
    assert.match(text, /You \(system:serviceaccount:default:app-reader\) may not list pods at the cluster scope: the console shows those of namespace default only\./);
    assert.match(text, /rolebindings\.rbac\.authorization\.k8s\.io is forbidden: User "system:serviceaccount:default:app-reader" cannot list resource "rolebindings"/);
  });

  it('signs in from the #token= fragment, opens the subject it names, and clears the address bar at once', async () => {
    const page = await open(`#token=${viewerToken}&subject=${encodeURIComponent(APP_READER)}`);
    await ready(page);
    assert.equal(await page.textContent('#subject-title'), APP_READER);
    assert.ok(!page.url().includes(viewerToken), page.url());
    assert.ok(page.url().endsWith(`/console/#/subject/${encodeURIComponent(APP_READER)}`), page.url());
    assert.equal(await page.evaluate(() => document.cookie), '');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('badge-console-token')), viewerToken);
    // Who can… and Findings run on the same policy.
    await page.click('nav a[href="#/who-can"]');
    await page.click('form.who-can button[type="submit"]');
    await page.waitForSelector(`.answer a[href="#/subject/${encodeURIComponent(APP_READER)}"]`);
    await page.click('nav a[href="#/findings"]');
    // A finding that needs the token Secrets, which the console reads as the CLI does (metadata only).
    await page.waitForSelector('table.findings tbody tr:has-text("SA007 legacy-sa-token-secret"):has-text("Secret/default/my-app-sa-token")');
    // Signing out forgets the token.
    await page.click('header button');
    await page.waitForSelector('#token');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('badge-console-token')), null);
  });

  it('a refused token goes back to the sign-in form with the server\u2019s message', async () => {
    const page = await open('#token=not-a-token');
    await page.waitForSelector('.sign-in .error');
    assert.match((await page.textContent('.sign-in .error'))!, /The server refused the token: Unauthorized/);
    assert.ok(!page.url().includes('not-a-token'));
  });
});
