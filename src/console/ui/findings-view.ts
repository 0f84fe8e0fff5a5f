// Findings: `kubectl access lint` on what the signed-in identity may read, filterable by severity,
// rule and text, each with its object (its YAML a click away) and how to fix it.
import { lint, LINT_RULES } from '../../access/lint/lint.js';
import { describeRef, SEVERITIES, type Finding } from '../../access/lint/types.js';
import type { View, ViewContext } from './context.js';
import { h } from './dom.js';

const PAGE = 100;
const FIXES = new Map(LINT_RULES.map((r) => [r.id, r.fix]));

export function findingsView(ctx: ViewContext): View {
  let findings: Finding[] = [];
  let shown = PAGE;
  const refill = () => ((shown = PAGE), fill());
  const severity = h('select', { id: 'f-severity', onchange: refill }, h('option', { value: '' }, 'any severity'), ...SEVERITIES.map((s) => h('option', { value: s }, `${s} and above`)));
  const rule = h('select', { id: 'f-rule', onchange: refill });
  const text = h('input', { id: 'f-text', type: 'search', autocomplete: 'off', oninput: refill });
  const count = h('p', { class: 'count', 'aria-live': 'polite' });
  const body = h('tbody');
  const more = h('button', { type: 'button', onclick: () => ((shown += PAGE), fill()) }, `Show ${PAGE} more`);

  const fill = () => {
    const max = severity.value ? SEVERITIES.indexOf(severity.value as Finding['severity']) : SEVERITIES.length;
    const words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
    const found = findings.filter((f) => SEVERITIES.indexOf(f.severity) <= max && (!rule.value || f.id === rule.value) && words.every((w) => `${f.id} ${f.name} ${describeRef(f.object)} ${f.message}`.toLowerCase().includes(w)));
    count.textContent = `${found.length} of ${findings.length} findings`;
    body.replaceChildren(
      ...found.slice(0, shown).map((f) =>
        h(
          'tr',
          { class: f.suppressed ? 'suppressed' : '' },
          h('td', {}, h('span', { class: `sev sev-${f.severity}` }, f.severity)),
          h('td', {}, `${f.id} ${f.name}`),
          h('td', {}, h('button', { type: 'button', class: 'linklike', onclick: () => ctx.showYaml(f.object) }, describeRef(f.object))),
          h('td', {}, f.message, f.suppressed ? h('div', { class: 'muted' }, `suppressed: ${f.suppressed}`) : null, ...f.provenance.map((p) => h('div', { class: 'muted' }, p))),
          h('td', {}, FIXES.get(f.id) ?? ''),
        ),
      ),
    );
    more.hidden = found.length <= shown;
  };

  const run = () => {
    findings = lint(ctx.policy(), 'the cluster').findings;
    const chosen = rule.value;
    const ids = [...new Set(findings.map((f) => f.id))].sort();
    rule.replaceChildren(h('option', { value: '' }, 'any rule'), ...ids.map((id) => h('option', { value: id }, `${id} ${findings.find((f) => f.id === id)!.name}`)));
    rule.value = ids.includes(chosen) ? chosen : '';
    fill();
  };

  const el = h(
    'section',
    { 'aria-labelledby': 'f-title' },
    h('h1', { id: 'f-title' }, 'Findings'),
    h('div', { class: 'filters' }, h('label', { for: 'f-severity' }, 'Severity'), severity, h('label', { for: 'f-rule' }, 'Rule'), rule, h('label', { for: 'f-text' }, 'Text'), text),
    count,
    h('div', { class: 'scroll' }, h('table', { class: 'findings' }, h('thead', {}, h('tr', {}, ...['Severity', 'Rule', 'Object', 'Finding', 'Fix'].map((t) => h('th', { scope: 'col' }, t)))), body)),
    more,
  );
  run();
  return {
    el,
    update(next) {
      ctx = next;
      run();
    },
  };
}
