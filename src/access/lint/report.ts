// How lint findings are printed: a table (suppressed findings hidden), the explanation of a rule,
// and SARIF 2.1.0 (rules in tool.driver.rules, results with logical locations naming the object).
import { table } from '../print.js';
import { describeRef, type Finding, type LintRule, type Severity } from './types.js';

export function findingsTable(findings: readonly Finding[]): string {
  const shown = findings.filter((f) => !f.suppressed);
  const hidden = findings.length - shown.length;
  const note = hidden ? `${hidden} suppressed finding(s) not shown (-o json lists them)\n` : '';
  if (!shown.length) return `No findings.\n${note}`;
  return table(['SEVERITY', 'ID', 'NAME', 'OBJECT', 'MESSAGE'], shown.map((f) => [f.severity.toUpperCase(), f.id, f.name, describeRef(f.object), f.message])) + note;
}

export const explain = (r: LintRule) => `${r.id} ${r.name} (severity ${r.severity})\n\nChecks: ${r.description}\n\nFix: ${r.fix}\n`;

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { crit: 'error', high: 'error', med: 'warning', low: 'note', info: 'note' };

export function sarif(findings: readonly Finding[], rules: readonly LintRule[]): object {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'badge-access-lint',
            rules: rules.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.description },
              help: { text: r.fix },
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { severity: r.severity },
            })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.id,
          ruleIndex: rules.findIndex((r) => r.id === f.id),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [{ logicalLocations: [{ name: f.object.name, fullyQualifiedName: describeRef(f.object), kind: 'resource' }] }],
          ...(f.suppressed ? { suppressions: [{ kind: 'inSource', justification: f.suppressed }] } : {}),
          properties: { severity: f.severity, object: f.object, provenance: f.provenance },
        })),
      },
    ],
  };
}
