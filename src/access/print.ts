// How the answers are printed: kubectl-like tables (columns padded, three spaces apart), and text.
import { compactString } from '../auth/authz/rbac/rules.js';
import type { UserInfo } from '../api/user.js';
import { yaml } from '../api/yaml.js';
import type { Grant } from './policy.js';
import type { WhoCanRow } from './who-can.js';
import type { WhyAnswer } from './why.js';
import { MATRIX_VERBS, type MatrixRow } from './matrix.js';
import type { SubjectDiff } from './diff.js';
import { describeResource } from './resources.js';

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => [...(r[i] ?? '')].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i]! - [...c].length + 3))).join('').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

const roleOf = (r: Pick<WhoCanRow, 'binding'>) => (r.binding.roleRef.kind ? `${r.binding.roleRef.kind}/${r.binding.roleRef.name}` : '(no role: bypasses RBAC)');

/** kubectl-who-can's two tables (RoleBindings, then ClusterRoleBindings); wide adds the role, the rule and the pods. */
export function whoCanTable(rows: WhoCanRow[], wide: boolean): string {
  const extra = (r: WhoCanRow) => (wide ? [roleOf(r), r.ruleIndex < 0 ? '' : String(r.ruleIndex), (r.pods ?? []).map((p) => `${p.pod}${p.tokenMounted ? '' : '(no token)'}`).join(',')] : []);
  const extraHeader = wide ? ['ROLE', 'RULE', 'PODS'] : [];
  const subjectCells = (r: WhoCanRow) => [r.subject.name, r.subject.kind, r.subject.kind === 'ServiceAccount' ? r.subject.namespace ?? '' : '', r.via ?? ''];
  const rb = rows.filter((r) => r.binding.kind === 'RoleBinding');
  const crb = rows.filter((r) => r.binding.kind === 'ClusterRoleBinding');
  let out = '';
  if (rb.length) out += table(['ROLEBINDING', 'NAMESPACE', 'SUBJECT', 'TYPE', 'SA-NAMESPACE', 'VIA', ...extraHeader], rb.map((r) => [r.binding.name, r.binding.namespace, ...subjectCells(r), ...extra(r)])) + '\n';
  out += table(['CLUSTERROLEBINDING', 'SUBJECT', 'TYPE', 'SA-NAMESPACE', 'VIA', ...extraHeader], crb.map((r) => [r.binding.name, ...subjectCells(r), ...extra(r)]));
  return out;
}

export function describeGrant(g: Grant): string {
  const b = g.binding;
  const binding = b.kind === 'RoleBinding' ? `RoleBinding ${b.namespace}/${b.name}` : `ClusterRoleBinding ${b.name}`;
  const role = b.roleRef.kind === 'Role' ? `Role ${b.namespace}/${b.roleRef.name}` : `ClusterRole ${b.roleRef.name}`;
  const subject = g.subject.kind === 'ServiceAccount' ? `ServiceAccount ${g.subject.namespace || b.namespace}/${g.subject.name}` : `${g.subject.kind} ${g.subject.name}`;
  return `${binding} → ${role} → rule ${g.ruleIndex} ${compactString(g.rule)} (subject ${subject})`;
}

export function whyText(subject: string, user: UserInfo, what: string, a: WhyAnswer): string {
  const lines: string[] = [];
  lines.push(`${a.allowed ? 'allowed' : 'denied'}: ${subject} ${a.allowed ? 'can' : 'cannot'} ${what}`);
  lines.push(`identity: user ${JSON.stringify(user.username)}, groups ${user.groups.map((g) => JSON.stringify(g)).join(', ')}`);
  if (a.masters) lines.push(`  ${a.reason}`);
  for (const g of a.grants) lines.push(`  ${describeGrant(g)}`);
  if (a.allowed && a.reason && !a.masters) lines.push(`authorizer reason: ${a.reason}`);
  for (const e of a.errors) lines.push(`warning: ${e}`);
  if (a.pods) lines.push(`pods running as it: ${a.pods.length ? a.pods.map((p) => `${p.pod} (token ${p.tokenMounted ? 'mounted' : 'not mounted'})`).join(', ') : 'none'}`);
  if (!a.allowed) {
    if (a.near.length) {
      lines.push('closest grants:');
      for (const n of a.near) {
        const why = n.lacks === 'namespace' ? `allows it in namespace ${n.namespace}` : n.lacks === 'resourceNames' ? `only for the names ${JSON.stringify(n.grant.rule.resourceNames)}` : `allows verbs ${(n.grant.rule.verbs ?? []).join(',')}, not this one`;
        lines.push(`  ${describeGrant(n.grant)}: ${why}`);
      }
    } else lines.push('closest grants: none on this resource');
    lines.push(`missing: ${a.missing}`);
    lines.push('smallest grant that allows it (kubectl apply -f -):');
    lines.push(a.suggestion!.map((o) => yaml().stringify(o)).join('---\n').trimEnd());
  }
  return lines.join('\n') + '\n';
}

const PARTIAL_LEGEND = '◐ partial: allowed only for some names (resourceNames; -o json lists them)';

export function matrixTable(rows: MatrixRow[], colour: boolean): string {
  const yes = colour ? '\x1b[32m✔\x1b[0m' : '✔';
  const no = colour ? '\x1b[31m✖\x1b[0m' : '✖';
  const some = colour ? '\x1b[33m◐\x1b[0m' : '◐';
  // Width is counted on what shows; the colour codes take none.
  const header = ['NAME', ...MATRIX_VERBS.map((v) => v.toUpperCase())];
  const cells = rows.map((r) => [r.group ? `${r.resource}.${r.group}` : r.resource, ...MATRIX_VERBS.map((v) => (r.verbs[v] ? '✔' : r.partial?.[v] ? '◐' : '✖'))]);
  const text = table(header, cells) + (rows.some((r) => r.partial) ? `${PARTIAL_LEGEND}\n` : '');
  return colour ? text.replace(/✔/g, yes).replace(/✖/g, no).replace(/◐/g, some) : text;
}

/** The diff: a row per change (verbs and names of the same grant together), each subject's rows together. */
export function diffTable(diffs: SubjectDiff[]): string {
  if (!diffs.length) return 'No changes.\n';
  const rows = diffs.flatMap((d) =>
    d.changes.map((c) => [
      d.subject,
      c.change,
      c.scope === 'cluster' ? 'cluster-wide' : c.namespace!,
      c.verbs.join(','),
      c.url ?? describeResource(c),
      c.url !== undefined ? '' : c.names ? c.names.join(',') : '(all)',
      c.via.join('; '),
    ]),
  );
  return table(['SUBJECT', 'CHANGE', 'SCOPE', 'VERBS', 'RESOURCE', 'NAMES', 'VIA'], rows);
}
