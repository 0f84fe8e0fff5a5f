// The lint rule framework: a rule is an id, a name, a default severity, the text `--explain` prints,
// and a check over the loaded objects and the access engine that yields findings.
import type { LintContext } from './context.js';

export const SEVERITIES = ['crit', 'high', 'med', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Lower is more severe. */
export const rank = (s: Severity) => SEVERITIES.indexOf(s);

export interface ObjectRef {
  kind: string;
  namespace?: string;
  name: string;
}

export interface Finding {
  id: string;
  name: string;
  severity: Severity;
  object: ObjectRef;
  message: string;
  /** binding → role → rule, or pod → ServiceAccount, one chain a line. */
  provenance: string[];
  /** The reason given in the object's `badge.dev/ignore-<ID>` annotation. */
  suppressed?: string;
}

/** What a check reports; the framework adds the rule's id and name. */
export type RawFinding = Omit<Finding, 'id' | 'name' | 'suppressed'>;

export interface LintRule {
  id: string;
  name: string;
  severity: Severity;
  /** What the rule flags (SARIF shortDescription). */
  description: string;
  /** How to fix it (SARIF help). */
  fix: string;
  check(ctx: LintContext): RawFinding[];
}

export const refOf = (o: { kind?: string; metadata: { namespace?: string; name?: string } }): ObjectRef => ({
  kind: o.kind ?? '',
  ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
  name: o.metadata.name ?? '',
});

export const describeRef = (r: ObjectRef) => `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
