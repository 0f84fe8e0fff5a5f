// What every view reads: the subjects and the policy (built when first asked for) from what the
// signed-in identity may read, and the objects by reference (for their YAML).
import type { KubeObject } from '../../api/meta.js';
import type { AccessPolicy } from '../../access/policy.js';
import type { ObjectRef } from '../../access/lint/types.js';
import type { SubjectEntry } from '../subjects.js';

export interface ViewContext {
  /** The policy, built when first asked for: the subjects list needs none, so it is shown sooner. */
  policy(): AccessPolicy;
  subjects: SubjectEntry[];
  /** The objects by refKey (worked out when first asked for). */
  objects(): Map<string, KubeObject>;
  showYaml(ref: ObjectRef): void;
}

/** A view: its element, and how it follows a new policy (after watch events) without losing what was typed. */
export interface View {
  el: HTMLElement;
  update(ctx: ViewContext): void;
}
