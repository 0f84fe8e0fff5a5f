// OIDC issuer discovery (pkg/serviceaccount/openidmetadata.go): the discovery document and the
// JWKS of the verification keys, so any JWT library can verify Badge's tokens.
import type { VerificationKey } from './keys.js';

export const OPENID_CONFIG_PATH = '/.well-known/openid-configuration';
export const JWKS_PATH = '/openid/v1/jwks';

export interface OidcDocuments {
  configuration: string;
  jwks: string;
}

/** Why an issuer cannot serve discovery, or undefined when it can. */
export function issuerProblem(issuer: string): string | undefined {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return `issuer URL must use https scheme, got: ${issuer}`;
  }
  if (url.protocol !== 'https:') return `issuer URL must use https scheme, got: ${issuer}`;
  if (url.search) return `issuer URL may not include a query, got: ${issuer}`;
  if (url.hash) return `issuer URL may not include a fragment, got: ${issuer}`;
  return undefined;
}

/** A JWK with go-jose's field order. */
function jwk(k: VerificationKey): Record<string, unknown> {
  const raw = k.publicKey.export({ format: 'jwk' }) as Record<string, string>;
  return raw.kty === 'RSA'
    ? { use: 'sig', kty: 'RSA', kid: k.kid, alg: k.alg, n: raw.n, e: raw.e }
    : { use: 'sig', kty: 'EC', kid: k.kid, crv: raw.crv, alg: k.alg, x: raw.x, y: raw.y };
}

export function oidcDocuments(issuer: string, jwksUri: string, keys: VerificationKey[]): OidcDocuments {
  const algs = [...new Set(keys.map((k) => k.alg))].sort();
  return {
    configuration: JSON.stringify({
      issuer,
      jwks_uri: jwksUri,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: algs,
    }),
    jwks: JSON.stringify({ keys: keys.map(jwk) }),
  };
}
