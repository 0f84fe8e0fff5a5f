// Impersonation (filters/impersonation.go): Impersonate-User, -Group, -Uid and -Extra-* headers
// make the request act as someone else, when the real user may `impersonate` each part.
import { turns } from '../../api/event-loop.js';
import { badRequest, forbidden } from '../../api/errors.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../../api/validation.js';
import { forbiddenMessage, type Attributes, type Authorizer } from '../../auth/authz/authorizer.js';
import { ANONYMOUS_USER, UNAUTHENTICATED_GROUP } from '../../auth/authn/anonymous.js';
import { ALL_SA_GROUP, saUsername, splitSaUsername } from '../../auth/tokens/claims.js';
import type { UserInfo } from '../../api/user.js';
import type { Filter } from '../context.js';

interface Entry {
  kind: 'ServiceAccount' | 'User' | 'Group' | 'UserExtra' | 'UID';
  namespace?: string;
  name: string;
  apiVersion?: string;
  fieldPath?: string;
}

const EXTRA_PREFIX = 'impersonate-extra-';

/** responsewriters.Forbidden escapes the message (not the reason) so it cannot read as HTML. */
const sanitize = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Go's %v of a corev1.ObjectReference: its seven fields separated by spaces. */
const goRef = (e: Entry) => `{${[e.kind, e.namespace ?? '', e.name, '', e.apiVersion ?? '', '', e.fieldPath ?? ''].join(' ')}}`;

/** An extra key from its header name: lower case, then percent-decoded where that is valid. */
function extraKey(header: string): string {
  const key = header.slice(EXTRA_PREFIX.length).toLowerCase();
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

/** The attributes upstream builds from the ObjectReference: no path, the version of its apiVersion ("v1" for extras and uids). */
function attributes(real: UserInfo, e: Entry): Attributes {
  const apiVersion = e.apiVersion ? e.apiVersion.slice(e.apiVersion.indexOf('/') + 1) : '';
  const base = { user: real, verb: 'impersonate', isResourceRequest: true, path: '', apiVersion, subresource: '', namespace: '', name: e.name };
  switch (e.kind) {
    case 'ServiceAccount':
      return { ...base, apiGroup: '', resource: 'serviceaccounts', namespace: e.namespace!, name: e.name };
    case 'User':
      return { ...base, apiGroup: '', resource: 'users' };
    case 'Group':
      return { ...base, apiGroup: '', resource: 'groups' };
    case 'UserExtra':
      return { ...base, apiGroup: 'authentication.k8s.io', resource: 'userextras', subresource: e.fieldPath! };
    case 'UID':
      return { ...base, apiGroup: 'authentication.k8s.io', resource: 'uids' };
  }
}

/** A cheap look before Node builds headersDistinct, which most requests never need. */
function asksToImpersonate(headers: Record<string, unknown>): boolean {
  for (const name in headers) if (name.startsWith('impersonate-')) return true;
  return false;
}

export function impersonate(authorizer: Authorizer): Filter {
  return async (rc, next) => {
    if (!asksToImpersonate(rc.req.headers)) return next();
    const headers = rc.req.headersDistinct;
    // An empty Impersonate-User or Impersonate-Uid counts as absent (upstream checks len(value) > 0).
    const user = headers['impersonate-user']?.[0] || undefined;
    const groups = headers['impersonate-group'] ?? [];
    const uid = headers['impersonate-uid']?.[0] || undefined;
    const extra: Record<string, string[]> = {};
    for (const [name, values] of Object.entries(headers)) if (name.startsWith(EXTRA_PREFIX) && values) (extra[extraKey(name)] ??= []).push(...values);
    if (user === undefined && !groups.length && uid === undefined && !Object.keys(extra).length) return next();

    const entries: Entry[] = [];
    const sa = user !== undefined ? splitSaUsername(user, (s) => isDNS1123Subdomain(s).length === 0) : undefined;
    if (user !== undefined) entries.push(sa && isDNS1123Label(sa.namespace).length === 0 ? { kind: 'ServiceAccount', namespace: sa.namespace, name: sa.name } : { kind: 'User', name: user });
    for (const g of groups) entries.push({ kind: 'Group', name: g });
    for (const [key, values] of Object.entries(extra)) for (const v of values) entries.push({ kind: 'UserExtra', name: v, apiVersion: 'authentication.k8s.io/v1', fieldPath: key });
    if (uid !== undefined) entries.push({ kind: 'UID', name: uid, apiVersion: 'authentication.k8s.io/v1' });
    if (user === undefined) throw badRequest(`requested [${entries.map(goRef).join(' ')}] without impersonating a user`);

    // Each a check of its own: thousands of groups or extras are checked in turns.
    const turn = turns();
    for (const e of entries) {
      if (turn.due()) await turn.next();
      const attrs = attributes(rc.user!, e);
      const d = await authorizer.authorize(attrs);
      if (d.decision !== 'allow') {
        throw forbidden({ group: attrs.apiGroup, resource: attrs.resource }, attrs.name, sanitize(forbiddenMessage(attrs)) + (d.reason ? `: ${d.reason}` : ''));
      }
    }

    const isSa = entries[0]!.kind === 'ServiceAccount';
    const username = isSa ? saUsername(entries[0]!.namespace!, entries[0]!.name) : user;
    let newGroups = groups.length ? [...groups] : isSa ? [ALL_SA_GROUP, `${ALL_SA_GROUP}:${entries[0]!.namespace}`] : [];
    if (username !== ANONYMOUS_USER) {
      if (!newGroups.includes('system:authenticated') && !newGroups.includes(UNAUTHENTICATED_GROUP)) newGroups = [...newGroups, 'system:authenticated'];
    } else if (!newGroups.includes(UNAUTHENTICATED_GROUP)) newGroups = [...newGroups, UNAUTHENTICATED_GROUP];
    rc.user = { username, groups: newGroups, extra, ...(uid !== undefined ? { uid } : {}) };
    // The impersonation headers are removed once they have been acted on.
    for (const name of new Set([...Object.keys(rc.req.headers), ...Object.keys(rc.req.headersDistinct)])) {
      if (name === 'impersonate-user' || name === 'impersonate-group' || name === 'impersonate-uid' || name.startsWith(EXTRA_PREFIX)) {
        delete rc.req.headers[name];
        delete rc.req.headersDistinct[name];
      }
    }
    await next();
  };
}
