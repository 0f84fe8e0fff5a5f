// Ownership through one write (structured-merge-diff's merge/update.go Updater): an update takes
// the fields it changed from their other owners; an apply merges the configuration, owns exactly
// what it sets, prunes what it stopped setting unless another manager owns it, and conflicts with
// other owners of the fields it changes unless forced.
import { deepEqual } from '../../api/meta.js';
import type { Schema } from '../../api/schema.js';
import { compare, type Comparison } from './compare.js';
import { conflictsOf, type Conflict } from './conflicts.js';
import { difference, EMPTY, intersection, isEmpty, recursiveDifference, union, type Fields } from './field-set.js';
import type { Managed, ManagerEntry } from './managers.js';
import { merge } from './merge.js';
import { removeItems, withNamedFields } from './remove.js';
import { toFieldSet } from './to-field-set.js';
import { large, mark, type Steps } from './steps.js';

export class ApplyConflicts extends Error {
  constructor(readonly conflicts: Conflict[]) {
    super('apply conflicts');
  }
}

/**
 * The live and new objects compared; every manager but `self` loses the paths removed and, when
 * forced, those it would conflict on. Without force, conflicts throw ApplyConflicts.
 */
function* reconcile(live: unknown, next: unknown, schema: Schema, managed: Managed, self: string, force: boolean, ignored: Fields): Steps<Comparison> {
  const start = mark();
  const c = yield* compare(live, next, schema);
  if (large(start)) yield;
  const filtered = isEmpty(ignored)
    ? c
    : { added: yield* recursiveDifference(c.added, ignored), modified: yield* recursiveDifference(c.modified, ignored), removed: yield* recursiveDifference(c.removed, ignored) };
  const changed = yield* union(filtered.modified, filtered.added);
  const conflicts = new Map<string, { owner: ManagerEntry; fields: Fields }>();
  for (const [id, e] of managed) {
    if (id === self) continue;
    if (large(start)) yield;
    const taken = yield* intersection(e.fields, changed);
    if (!isEmpty(taken)) conflicts.set(id, { owner: e, fields: taken });
  }
  if (!force && conflicts.size) throw new ApplyConflicts(conflictsOf(conflicts));
  for (const [id, e] of managed) {
    if (id === self) continue;
    if (large(start)) yield;
    const kept = yield* difference(yield* difference(e.fields, conflicts.get(id)?.fields ?? EMPTY), filtered.removed);
    if (isEmpty(kept)) managed.delete(id);
    else if (kept !== e.fields) managed.set(id, { ...e, fields: kept });
  }
  return filtered;
}

/** Updater.Update: what `self` changed, the paths ignored for this subresource left out. */
export function* changedBy(live: unknown, next: unknown, schema: Schema, managed: Managed, self: string, ignored: Fields): Steps<Fields> {
  const start = mark();
  const c = yield* reconcile(live, next, schema, managed, self, true, ignored);
  if (large(start)) yield;
  return yield* union(c.modified, c.added);
}

/** Updater.Apply: the merged and pruned object; `managed` gets the applier's entry (its set only). */
export function* applyConfig(live: unknown, config: unknown, schema: Schema, managed: Managed, self: ManagerEntry & { id: string }, force: boolean, ignored: Fields): Steps<{ object: unknown; changed: boolean }> {
  const merged = yield* merge(live, config, schema);
  const last = managed.get(self.id);
  const { id: _id, ...entry } = self;
  managed.set(self.id, { ...entry, ...(last?.time ? { time: last.time } : {}), fields: yield* recursiveDifference(yield* toFieldSet(config, schema), ignored) });
  const pruned = last && !isEmpty(last.fields) ? yield* prune(merged, schema, managed, last.fields) : merged;
  yield* reconcile(live, pruned, schema, managed, self.id, force, ignored);
  return { object: pruned, changed: !deepEqual(live, pruned) };
}

/**
 * Takes out what the applier owned last time and no longer applies, unless some manager (the
 * applier's new set included) owns it; what nobody owned before stays (prune, addBackOwnedItems,
 * addBackDanglingItems).
 */
function* prune(merged: unknown, schema: Schema, managed: Managed, lastSet: Fields): Steps<unknown> {
  const named = (s: Fields) => withNamedFields(s, schema);
  const last = named(lastSet);
  let owned: Fields = EMPTY;
  for (const e of managed.values()) owned = yield* union(owned, e.fields);
  const mergedSet = named(yield* toFieldSet(merged, schema));
  const firstCut = yield* removeItems(merged, last, schema);
  const ownedBack = yield* removeItems(merged, yield* difference(mergedSet, yield* union(named(yield* toFieldSet(firstCut, schema)), named(owned))), schema);
  return yield* removeItems(merged, yield* intersection(yield* difference(mergedSet, named(yield* toFieldSet(ownedBack, schema))), last), schema);
}
