// Subjects: every ServiceAccount, and every user and group a binding names, searchable, a page at a time.
import { routeHash } from '../address.js';
import { filterSubjects, type SubjectEntry, type SubjectKind } from '../subjects.js';
import type { View, ViewContext } from './context.js';
import { h, link } from './dom.js';

const PAGE = 100;

const podsCell = (e: SubjectEntry) =>
  e.kind !== 'ServiceAccount' ? '' : e.pods.length ? h('ul', { class: 'pods' }, ...e.pods.map((p) => h('li', {}, p.pod, ' ', h('span', { class: p.tokenMounted ? 'tag warn' : 'tag' }, p.tokenMounted ? 'token mounted' : 'no token')))) : 'no pods';

export function subjectsView(ctx: ViewContext): View {
  let shown = PAGE;
  const search = h('input', { id: 'subject-search', type: 'search', placeholder: 'name, namespace…', autocomplete: 'off', oninput: () => ((shown = PAGE), fill()) });
  const kind = h('select', { id: 'subject-kind', onchange: () => ((shown = PAGE), fill()) }, h('option', { value: '' }, 'all kinds'), ...['ServiceAccount', 'User', 'Group'].map((k) => h('option', { value: k }, k)));
  const count = h('p', { class: 'count', 'aria-live': 'polite' });
  const body = h('tbody');
  const more = h('button', { type: 'button', onclick: () => ((shown += PAGE), fill()) }, `Show ${PAGE} more`);
  const fill = () => {
    const found = filterSubjects(ctx.subjects, search.value, (kind.value || undefined) as SubjectKind | undefined);
    count.textContent = `${found.length} of ${ctx.subjects.length} subjects`;
    body.replaceChildren(...found.slice(0, shown).map((e) => h('tr', {}, h('td', {}, link(routeHash({ view: 'subject', subject: e.id }), e.id)), h('td', {}, e.kind), h('td', { class: 'num' }, e.bindings), h('td', {}, podsCell(e)))));
    more.hidden = found.length <= shown;
  };
  const el = h(
    'section',
    { 'aria-labelledby': 'subjects-title' },
    h('h1', { id: 'subjects-title' }, 'Subjects'),
    h('div', { class: 'filters' }, h('label', { for: 'subject-search' }, 'Search'), search, h('label', { for: 'subject-kind' }, 'Kind'), kind),
    count,
    h('div', { class: 'scroll' }, h('table', { class: 'subjects' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Subject'), h('th', { scope: 'col' }, 'Kind'), h('th', { scope: 'col' }, 'Bindings'), h('th', { scope: 'col' }, 'Pods (ServiceAccount token)'))), body)),
    more,
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
