// The last step of the pipeline: which handler answers a path.
import { pathNotFound } from '../api/errors.js';
import { JWKS_PATH, OPENID_CONFIG_PATH, type OidcDocuments } from '../auth/tokens/oidc-discovery.js';
import type { Registry } from '../registry/registry.js';
import type { Filter } from './context.js';
import { serveDiscovery } from './handlers/discovery.js';
import { handleResource } from './handlers/resources.js';
import { serveHealth, serveVersion, type HealthCheck } from './handlers/system.js';
import type { OpenApiDocs } from './openapi.js';
import { serveOpenApi } from './openapi/serve.js';
import { writeText } from './respond.js';

export interface RouterDeps {
  registry: Registry;
  /** The OpenAPI documents, built on first use. */
  openapi: () => OpenApiDocs;
  health: HealthCheck[];
  serverAddress: string;
  /** OIDC discovery documents, when the issuer allows them. */
  oidc?: OidcDocuments;
}

export function router(deps: RouterDeps): Filter {
  return async (rc) => {
    const path = rc.url.pathname;
    if (rc.info.isResourceRequest) return handleResource(rc, deps.registry);
    if (path === '/version' || path === '/version/') return serveVersion(rc.res);
    if (serveHealth(path, rc.url.searchParams, rc.res, deps.health)) return;
    if (serveDiscovery(path, rc.req.headers.accept, rc.res, deps.registry, deps.serverAddress)) return;
    if (deps.oidc && (path === OPENID_CONFIG_PATH || path === JWKS_PATH)) {
      const config = path === OPENID_CONFIG_PATH;
      rc.res.writeHead(200, { 'Content-Type': config ? 'application/json' : 'application/jwk-set+json', 'Cache-Control': 'public, max-age=3600' });
      rc.res.end(config ? deps.oidc.configuration : deps.oidc.jwks);
      return;
    }
    const openapi = path.startsWith('/openapi/') && serveOpenApi(deps.openapi(), { method: rc.req.method ?? 'GET', path, query: rc.url.searchParams, headers: rc.req.headers });
    if (openapi) {
      rc.res.writeHead(openapi.status, openapi.headers);
      rc.res.end(openapi.body);
      return;
    }
    if (path.startsWith('/api/') || path.startsWith('/apis/')) throw pathNotFound();
    writeText(rc.res, 404, '404 page not found\n');
  };
}
