// The last step of the pipeline: which handler answers a path.
import { pathNotFound } from '../api/errors.js';
import { JWKS_PATH, OPENID_CONFIG_PATH, type OidcDocuments } from '../auth/tokens/oidc-discovery.js';
import type { Registry } from '../registry/registry.js';
import type { Filter } from './context.js';
import { serveDiscovery } from './handlers/discovery.js';
import { handleResource } from './handlers/resources.js';
import { serveHealth, serveVersion, type HealthCheck } from './handlers/system.js';
import type { OpenApiDocs } from './openapi.js';
import { PROMETHEUS_TEXT, type ApiServerMetrics } from './metrics/apiserver-metrics.js';
import type { RemoteApis } from './remote-apis.js';
import { serveOpenApi, type OpenApiRequest, type OpenApiResponse } from './openapi/serve.js';
import { notAcceptable, serveOpenApiV2, v2Form } from './openapi/serve-v2.js';
import { openApiV2 } from './openapi/v2-thread.js';
import { writeText } from './respond.js';

export interface RouterDeps {
  registry: Registry;
  /** The OpenAPI documents, built on first use. */
  openapi: OpenApiDocs;
  health: HealthCheck[];
  serverAddress: string;
  /** OIDC discovery documents, when the issuer allows them. */
  oidc?: OidcDocuments;
  /** The group versions other servers serve through APIServices (discovery lists them). */
  remote?: () => RemoteApis | undefined;
  metrics: ApiServerMetrics;
}

/** /apis and /apis/<group>: the discovery documents that list groups, where APIServices of other servers count. */
const listsGroups = (path: string) => /^\/apis(\/[^/]+)?\/?$/.test(path);

export function router(deps: RouterDeps): Filter {
  const openapiV2 = openApiV2(() => deps.registry.defs, () => deps.registry.generation);
  /** /openapi/v2, built on the first request that accepts it; 503 (as kube-openapi) when it cannot be built. */
  const serveV2 = async (method: string, headers: OpenApiRequest['headers']): Promise<OpenApiResponse> => {
    const form = v2Form(headers.accept);
    if (!form) return notAcceptable;
    try {
      return serveOpenApiV2(await openapiV2(), form, { method, headers });
    } catch (err) {
      console.error('badge: building /openapi/v2 failed:', err);
      return { status: 503, headers: { 'Content-Length': '0' }, body: '' };
    }
  };
  return async (rc) => {
    const path = rc.url.pathname;
    if (rc.info.isResourceRequest) return handleResource(rc, deps.registry);
    if (path === '/version' || path === '/version/') return serveVersion(rc.res);
    if (serveHealth(path, rc.url.searchParams, rc.res, deps.health)) return;
    if (path === '/metrics') {
      const text = await deps.metrics.text();
      rc.res.writeHead(200, { 'Content-Type': PROMETHEUS_TEXT });
      rc.res.end(text);
      return;
    }
    const remote = listsGroups(path) ? ((await deps.remote?.()?.discovery()) ?? []) : [];
    if (serveDiscovery(path, rc.req.headers.accept, rc.res, deps.registry, deps.serverAddress, remote)) return;
    if (deps.oidc && (path === OPENID_CONFIG_PATH || path === JWKS_PATH)) {
      const config = path === OPENID_CONFIG_PATH;
      rc.res.writeHead(200, { 'Content-Type': config ? 'application/json' : 'application/jwk-set+json', 'Cache-Control': 'public, max-age=3600' });
      rc.res.end(config ? deps.oidc.configuration : deps.oidc.jwks);
      return;
    }
    const method = rc.req.method ?? 'GET';
    const openapi =
      path === '/openapi/v2'
        ? await serveV2(method, rc.req.headers)
        : path.startsWith('/openapi/') && (await serveOpenApi(deps.openapi, { method, path, query: rc.url.searchParams, headers: rc.req.headers }));
    if (openapi) {
      rc.res.writeHead(openapi.status, openapi.headers);
      rc.res.end(openapi.body);
      return;
    }
    if (path.startsWith('/api/') || path.startsWith('/apis/')) throw pathNotFound();
    writeText(rc.res, 404, '404 page not found\n');
  };
}
