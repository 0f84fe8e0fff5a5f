// A subject's page: its kind and pods, its access matrix (resources × verbs, in a namespace or at cluster
// scope), the grants behind a cell, and the graph of how it gets them.
import { matrix, MATRIX_VERBS, type MatrixRow } from '../../access/matrix.js';
import { splitSaUsername } from '../../auth/tokens/claims.js';
import { ruleText, subjectGraph } from '../graph-model.js';
import { subjectUser } from '../subjects.js';
import type { View, ViewContext } from './context.js';
import { h } from './dom.js';
import { drawGraph } from './graph-view.js';

const resourceName = (r: MatrixRow) => (r.group ? `${r.resource}.${r.group}` : r.resource);

export function subjectView(ctx: ViewContext, subject: string): View {
  const user = subjectUser(subject);
  const sa = splitSaUsername(user.username);
  const namespace = h('select', { id: 'matrix-namespace', onchange: () => fillMatrix() });
  const showAll = h('input', { id: 'matrix-all', type: 'checkbox', onchange: () => fillMatrix() });
  const table = h('table', { class: 'matrix' });
  const grants = h('div', { class: 'grants', 'aria-live': 'polite' });
  const about = h('p', { class: 'muted' });
  const graph = h('div', { class: 'graph' });

  const showGrants = (row: MatrixRow, verb: string) => {
    const req = { verb, isResourceRequest: true, path: '', apiGroup: row.group, resource: row.resource, subresource: '', namespace: row.namespaced ? namespace.value : '', name: '' };
    const d = ctx.policy().decide(user, req);
    const where = req.namespace ? `in namespace ${req.namespace}` : 'at cluster scope';
    grants.replaceChildren(
      h('h3', {}, `${verb} ${resourceName(row)} ${where}`),
      d.masters ? h('p', {}, d.reason) : '',
      h('ul', {}, ...d.grants.map((g) => h('li', {}, h('button', { type: 'button', class: 'linklike', onclick: () => ctx.showYaml({ kind: g.binding.kind, ...(g.binding.namespace ? { namespace: g.binding.namespace } : {}), name: g.binding.name }) }, `${g.binding.kind} ${g.binding.namespace ? `${g.binding.namespace}/` : ''}${g.binding.name}`), ` → ${g.binding.roleRef.kind} ${g.binding.roleRef.kind === 'Role' ? `${g.binding.namespace}/` : ''}${g.binding.roleRef.name} → rule ${g.ruleIndex}: ${ruleText(g.rule)}`))),
    );
  };

  const fillMatrix = () => {
    const rows = matrix(ctx.policy(), user, namespace.value).filter((r) => showAll.checked || MATRIX_VERBS.some((v) => r.verbs[v] || r.partial?.[v]));
    const cell = (r: MatrixRow, v: string) => {
      const label = `${v} ${resourceName(r)}`;
      if (r.verbs[v]) return h('td', { class: 'yes' }, h('button', { type: 'button', 'aria-label': `${label}: allowed; show the grants`, title: `${label}: allowed`, onclick: () => showGrants(r, v) }, '✓'));
      const names = r.partial?.[v];
      if (names) return h('td', { class: 'partial', title: `${label}: only ${names.join(', ')}` }, names.join(', '));
      return h('td', { class: 'no', 'aria-label': `${label}: not allowed` }, '·');
    };
    table.replaceChildren(
      h('caption', {}, namespace.value ? `In namespace ${namespace.value} (and cluster-wide through ClusterRoleBindings)` : 'At cluster scope (ClusterRoleBindings only)'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Resource'), ...MATRIX_VERBS.map((v) => h('th', { scope: 'col' }, v)))),
      h('tbody', {}, ...(rows.length ? rows.map((r) => h('tr', { 'data-resource': resourceName(r) }, h('th', { scope: 'row' }, resourceName(r)), ...MATRIX_VERBS.map((v) => cell(r, v)))) : [h('tr', {}, h('td', { colspan: MATRIX_VERBS.length + 1 }, 'No access here.'))])),
    );
  };

  const fill = () => {
    const chosen = namespace.value || (sa?.namespace ?? '');
    const namespaces = [...ctx.policy().namespaces].sort();
    namespace.replaceChildren(h('option', { value: '' }, '(cluster scope)'), ...namespaces.map((ns) => h('option', { value: ns }, ns)));
    namespace.value = namespaces.includes(chosen) ? chosen : '';
    const e = ctx.subjects.find((x) => x.id === subject);
    const kind = sa ? 'ServiceAccount' : user.username ? 'User' : 'Group';
    const named = e?.bindings ? `named by ${e.bindings} binding subject${e.bindings === 1 ? '' : 's'}` : 'no binding names it';
    const running = !sa ? '' : e?.pods.length ? ` · pods running as it: ${e.pods.map((p) => `${p.pod} (${p.tokenMounted ? 'token mounted' : 'no token'})`).join(', ')}` : ' · no pod runs as it';
    about.textContent = `${kind} · ${named}${running}`;
    fillMatrix();
    const subjectRef = sa ? { kind: 'ServiceAccount', namespace: sa.namespace, name: sa.name } : undefined;
    void drawGraph(graph, subjectGraph(ctx.policy(), user, subject, ctx.objects()), ctx.showYaml, subjectRef);
  };

  const el = h(
    'section',
    { 'aria-labelledby': 'subject-title' },
    h('h1', { id: 'subject-title' }, subject),
    about,
    h('h2', {}, 'Access'),
    h('div', { class: 'filters' }, h('label', { for: 'matrix-namespace' }, 'Namespace'), namespace, h('label', { class: 'check' }, showAll, ' show resources without access')),
    h('div', { class: 'scroll' }, table),
    grants,
    h('h2', {}, 'How it gets them'),
    h('p', { class: 'muted' }, 'Subject → groups → bindings → roles (an aggregated ClusterRole → the roles it aggregates) → rules. Select a box or an arrow to see its object.'),
    graph,
  );
  fill();
  return {
    el,
    update(next) {
      ctx = next;
      fill();
    },
  };
}
