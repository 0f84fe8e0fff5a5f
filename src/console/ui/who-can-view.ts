// Who can…: a verb, a resource, a namespace and a name, answered with every subject allowed and
// the binding → role → rule that allows it (the CLI's `kubectl access who-can`).
import { whoCan, type WhoCanRow } from '../../access/who-can.js';
import { routeHash } from '../address.js';
import { ruleText } from '../graph-model.js';
import { subjectId } from '../subjects.js';
import type { View, ViewContext } from './context.js';
import { h, link } from './dom.js';

const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'impersonate', 'bind', 'escalate', '*'];
const ALL = '*all*';
const PAGE = 100;

export function whoCanView(ctx: ViewContext): View {
  const field = (id: string, label: string, input: HTMLElement) => h('div', { class: 'field' }, h('label', { for: id }, label), input);
  const verb = h('input', { id: 'wc-verb', list: 'wc-verbs', value: 'list', required: true, autocomplete: 'off' });
  const resource = h('input', { id: 'wc-resource', value: 'pods', required: true, autocomplete: 'off', placeholder: 'pods, deployments.apps, pods/log' });
  const namespace = h('select', { id: 'wc-namespace' });
  const name = h('input', { id: 'wc-name', autocomplete: 'off', placeholder: '(any)' });
  const answer = h('div', { class: 'answer', 'aria-live': 'polite' });
  let asked = false;

  const row = (r: WhoCanRow) => {
    const b = r.binding;
    const bindingRef = { kind: b.kind, ...(b.namespace ? { namespace: b.namespace } : {}), name: b.name };
    const roleRef = { kind: b.roleRef.kind, ...(b.roleRef.kind === 'Role' ? { namespace: b.namespace } : {}), name: b.roleRef.name };
    const rule = r.authorizer ? undefined : ctx.policy().index.roleRules(b.roleRef, b.namespace).rules?.[r.ruleIndex];
    const id = subjectId(r.subject, b.namespace);
    return h(
      'tr',
      {},
      h('td', {}, link(routeHash({ view: 'subject', subject: id }), id), r.via ? h('div', { class: 'muted' }, `through the group ${r.via}`) : null),
      h('td', {}, r.authorizer ? r.authorizer : h('button', { type: 'button', class: 'linklike', onclick: () => ctx.showYaml(bindingRef) }, `${b.kind} ${b.namespace ? `${b.namespace}/` : ''}${b.name}`)),
      h('td', {}, r.authorizer ? '' : h('button', { type: 'button', class: 'linklike', onclick: () => ctx.showYaml(roleRef) }, `${roleRef.kind} ${roleRef.namespace ? `${roleRef.namespace}/` : ''}${roleRef.name}`)),
      h('td', {}, rule ? `${r.ruleIndex}: ${ruleText(rule)}` : ''),
      h('td', {}, (r.pods ?? []).map((p) => `${p.pod}${p.tokenMounted ? ' (token mounted)' : ''}`).join(', ')),
    );
  };

  const ask = () => {
    asked = true;
    let q;
    try {
      q = ctx.policy().resources.parse(resource.value.trim());
    } catch (err) {
      return void answer.replaceChildren(h('p', { class: 'error', role: 'alert' }, (err as Error).message));
    }
    const ns = namespace.value === ALL ? undefined : q.namespaced ? namespace.value : '';
    const body = h('tbody');
    let shown = 0;
    const more = h('button', { type: 'button', onclick: () => showMore() }, `Show ${PAGE} more`);
    const showMore = () => {
      body.append(...rows.slice(shown, shown + PAGE).map(row));
      shown += PAGE;
      more.hidden = rows.length <= shown;
    };
    const rows = whoCan(ctx.policy(), { request: { verb: verb.value.trim(), isResourceRequest: true, path: '', apiGroup: q.group, resource: q.resource, subresource: q.subresource, name: name.value.trim() }, namespace: ns });
    answer.replaceChildren(
      q.warning ? h('p', { class: 'muted' }, q.warning) : '',
      h('p', {}, `Who may ${verb.value.trim()} ${resource.value.trim()}${name.value.trim() ? ` named ${name.value.trim()}` : ''} ${ns === undefined ? 'in some namespace' : ns ? `in namespace ${ns}` : 'at cluster scope'}, and through what (${rows.length} grant${rows.length === 1 ? '' : 's'}):`),
      h('div', { class: 'scroll' }, h('table', {}, h('thead', {}, h('tr', {}, ...['Subject', 'Binding', 'Role', 'Rule', 'Pods'].map((t) => h('th', { scope: 'col' }, t)))), body)),
      more,
    );
    showMore();
  };

  const fillNamespaces = () => {
    const chosen = namespace.value || ALL;
    const namespaces = [...ctx.policy().namespaces].sort();
    namespace.replaceChildren(h('option', { value: ALL }, '(any namespace)'), h('option', { value: '' }, '(cluster scope)'), ...namespaces.map((n) => h('option', { value: n }, n)));
    namespace.value = chosen === ALL || chosen === '' || namespaces.includes(chosen) ? chosen : ALL;
  };

  const el = h(
    'section',
    { 'aria-labelledby': 'wc-title' },
    h('h1', { id: 'wc-title' }, 'Who can…'),
    h(
      'form',
      { class: 'who-can', onsubmit: (e: Event) => (e.preventDefault(), ask()) },
      field('wc-verb', 'Verb', verb),
      h('datalist', { id: 'wc-verbs' }, ...VERBS.map((v) => h('option', { value: v }))),
      field('wc-resource', 'Resource', resource),
      field('wc-namespace', 'Namespace', namespace),
      field('wc-name', 'Name', name),
      h('button', { type: 'submit' }, 'Ask'),
    ),
    answer,
  );
  fillNamespaces();
  return {
    el,
    update(next) {
      ctx = next;
      fillNamespaces();
      if (asked) ask();
    },
  };
}
