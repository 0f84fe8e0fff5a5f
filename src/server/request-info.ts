// Request attributes from the URL, as k8s.io/apiserver/pkg/endpoints/request/requestinfo.go
// derives them: what authorization decides on and what the handlers dispatch on.
import { parseFieldSelector, requiredValue } from '../api/fields.js';
import { parseLabelSelector } from '../api/labels.js';
import { validateName } from '../api/validation.js';

export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  verb: string;
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  parts: string[];
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);
const METHOD_VERBS: Record<string, string> = { POST: 'create', GET: 'get', HEAD: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

export class RequestInfoError extends Error {}

/** strconv.ParseInt(s, 10, 64) succeeds. */
const isInt64 = (s: string) => /^[+-]?[0-9]+$/.test(s) && BigInt(s) >= -(2n ** 63n) && BigInt(s) < 2n ** 63n;

export function parseRequestInfo(method: string, url: URL): RequestInfo {
  const info: RequestInfo = {
    isResourceRequest: false,
    path: url.pathname,
    verb: method.toLowerCase(),
    apiPrefix: '',
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    parts: [],
  };
  let parts = url.pathname.replace(/^\/+|\/+$/g, '').split('/');
  if (parts.length < 3 || (parts[0] !== 'api' && parts[0] !== 'apis')) return info;
  const prefix = parts[0]!;
  parts = parts.slice(1);
  if (prefix === 'apis') {
    if (parts.length < 3) return info;
    info.apiGroup = parts[0]!;
    parts = parts.slice(1);
  }
  info.apiPrefix = prefix;
  info.isResourceRequest = true;
  info.apiVersion = parts[0]!;
  parts = parts.slice(1);

  if (parts[0] === 'watch' || parts[0] === 'proxy') {
    if (parts.length < 2) throw new RequestInfoError(`unable to determine kind and namespace from url, ${url.pathname}${url.search}`);
    info.verb = parts[0];
    parts = parts.slice(1);
  } else {
    info.verb = METHOD_VERBS[method] ?? '';
  }

  if (parts[0] === 'namespaces') {
    if (parts.length > 1) {
      info.namespace = parts[1]!;
      if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2]!)) parts = parts.slice(2);
    }
  }
  info.parts = parts;
  if (parts.length >= 3 && info.verb !== 'proxy') info.subresource = parts[2]!;
  if (parts.length >= 2) info.name = parts[1]!;
  if (parts.length >= 1) info.resource = parts[0]!;

  if (!info.name && info.verb === 'get') {
    const watch = url.searchParams.get('watch');
    info.verb = watch !== null && !['false', '0'].includes(watch.toLowerCase()) ? 'watch' : 'list';
    const selector = url.searchParams.get('fieldSelector');
    if (selector) {
      try {
        // Upstream decodes all the ListOptions at once: if any of them fails, no name is taken.
        const labels = url.searchParams.get('labelSelector');
        if (labels !== null) parseLabelSelector(labels);
        for (const p of ['limit', 'timeoutSeconds']) {
          const v = url.searchParams.get(p);
          if (v !== null && !isInt64(v)) throw new Error(`invalid ${p}`);
        }
        const name = requiredValue(parseFieldSelector(selector), 'metadata.name');
        if (name !== undefined && validateName(name, 'path-segment', false).length === 0) info.name = name;
      } catch {
        // An unparsable selector leaves the name unset, as upstream does.
      }
    }
  }
  if (!info.name && info.verb === 'delete') info.verb = 'deletecollection';
  return info;
}

/**
 * Requests that may last as long as the client wants (BasicLongRunningRequestCheck): watches,
 * proxies, and the streaming subresources. No deadline or in-flight limit applies to them.
 */
const READ_ONLY_VERBS = new Set(['get', 'list', 'watch']);

/** The in-flight kind of a request, as kube-apiserver's max-in-flight filter and its metrics count it. */
export const requestKind = (info: RequestInfo): 'readOnly' | 'mutating' => (READ_ONLY_VERBS.has(info.verb) ? 'readOnly' : 'mutating');

export function isLongRunning(info: RequestInfo): boolean {
  return info.verb === 'watch' || info.verb === 'proxy' || LONG_RUNNING_SUBRESOURCES.has(info.subresource);
}

const LONG_RUNNING_SUBRESOURCES = new Set(['attach', 'exec', 'proxy', 'log', 'portforward']);
