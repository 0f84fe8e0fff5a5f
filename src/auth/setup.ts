// Authentication as configured by the server's flags: the service account keys and issuers, the
// token authenticators and the request authenticator of the pipeline.
import type { Clock } from '../api/clock.js';
import type { KubeObject } from '../api/meta.js';
import { anonymousAuthenticator } from './authn/anonymous.js';
import { unionAuthenticator, withFallback, type Authenticator } from './authn/authenticator.js';
import { bearerAuthenticator } from './authn/bearer.js';
import { serviceAccountTokenAuthenticator, type ObjectLookup, type ServiceAccountTokenOptions } from './authn/serviceaccount-jwt.js';
import { staticTokenAuthenticator } from './authn/static-tokens.js';
import { cachedTokenAuthenticator } from './authn/token-cache.js';
import { unionTokenAuthenticator, type TokenAuthenticator } from './authn/token.js';
import { x509Authenticator } from './authn/x509.js';
import { LEGACY_ISSUER } from './tokens/claims.js';
import { TokenIssuer } from './tokens/issuer.js';
import type { ServiceAccountKeys, SigningAlg } from './tokens/keys.js';
import { issuerProblem, oidcDocuments, JWKS_PATH, type OidcDocuments } from './tokens/oidc-discovery.js';

export const DEFAULT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

export interface AuthOptions {
  /** --anonymous-auth */
  anonymousAuth: boolean;
  /** --token-auth-file */
  tokenAuthFile?: string;
  /** --service-account-issuer (repeatable; the first signs) */
  serviceAccountIssuers: string[];
  /** --api-audiences (defaults to the issuers) */
  apiAudiences: string[];
  /** --service-account-key-file (repeatable): extra verification keys */
  serviceAccountKeyFiles: string[];
  /** --service-account-signing-alg */
  serviceAccountSigningAlg: SigningAlg;
  /** --service-account-max-token-expiration, seconds; 0 for none */
  serviceAccountMaxTokenExpirationSeconds: number;
  /** --service-account-extend-token-expiration */
  serviceAccountExtendTokenExpiration: boolean;
  /** --service-account-jwks-uri */
  serviceAccountJwksUri?: string;
}

export function defaultAuthOptions(o: Partial<AuthOptions> = {}): AuthOptions {
  const issuers = o.serviceAccountIssuers?.length ? o.serviceAccountIssuers : [DEFAULT_ISSUER];
  return {
    anonymousAuth: o.anonymousAuth ?? true,
    tokenAuthFile: o.tokenAuthFile,
    serviceAccountIssuers: issuers,
    apiAudiences: o.apiAudiences?.length ? o.apiAudiences : issuers,
    serviceAccountKeyFiles: o.serviceAccountKeyFiles ?? [],
    serviceAccountSigningAlg: o.serviceAccountSigningAlg ?? 'RS256',
    serviceAccountMaxTokenExpirationSeconds: o.serviceAccountMaxTokenExpirationSeconds ?? 0,
    serviceAccountExtendTokenExpiration: o.serviceAccountExtendTokenExpiration ?? true,
    serviceAccountJwksUri: o.serviceAccountJwksUri,
  };
}

/** The flag errors kube-apiserver reports for these options. */
export function authOptionErrors(o: AuthOptions): string[] {
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const issuer of o.serviceAccountIssuers) {
    if (!issuer) errors.push('service-account-issuer should not be an empty string');
    else if (issuer.includes(':')) {
      try {
        new URL(issuer);
      } catch {
        errors.push(`service-account-issuer "${issuer}" contained a ':' but was not a valid URL`);
      }
    }
    if (seen.has(issuer)) errors.push(`service-account-issuer "${issuer}" is already specified`);
    seen.add(issuer);
  }
  const max = o.serviceAccountMaxTokenExpirationSeconds;
  if (max && (max < 3600 || max > 2 ** 32)) errors.push('the service-account-max-token-expiration must be between 1 hour and 2^32 seconds');
  if (o.serviceAccountSigningAlg !== 'RS256' && o.serviceAccountSigningAlg !== 'ES256') errors.push(`unsupported --service-account-signing-alg ${o.serviceAccountSigningAlg}: use RS256 or ES256`);
  if (o.serviceAccountJwksUri && !o.serviceAccountJwksUri.startsWith('https://')) errors.push('service-account-jwks-uri requires https scheme');
  return errors;
}

export interface Auth {
  keys: ServiceAccountKeys;
  /** Signs bound tokens (the first issuer). */
  issuer: TokenIssuer;
  /** Signs legacy Secret tokens (issuer kubernetes/serviceaccount). */
  legacyIssuer: TokenIssuer;
  /** Bearer tokens: service account JWTs and the static token file, with the 10 s success cache. */
  tokens: TokenAuthenticator;
  /** The request authenticator of the pipeline. */
  request: Authenticator;
  /** OIDC discovery documents, when the issuer allows them. */
  oidc?: OidcDocuments;
}

export function buildAuth(
  o: AuthOptions,
  keys: ServiceAccountKeys,
  serverUrl: string,
  clock: Clock,
  lookup: ObjectLookup,
  markLegacyUse: (secret: KubeObject, today: string) => void,
  tokenUsed?: ServiceAccountTokenOptions['tokenUsed'],
): Auth {
  const issuer = new TokenIssuer(keys.signing, o.serviceAccountIssuers[0]!);
  const sa = serviceAccountTokenAuthenticator({ issuers: o.serviceAccountIssuers, keys: keys.verification, apiAudiences: o.apiAudiences, lookup, clock, markLegacyUse, tokenUsed });
  const tokens = cachedTokenAuthenticator(unionTokenAuthenticator([...(o.tokenAuthFile ? [staticTokenAuthenticator(o.tokenAuthFile, o.apiAudiences)] : []), sa]), clock);
  const request = withFallback(unionAuthenticator([x509Authenticator, bearerAuthenticator(tokens)]), o.anonymousAuth ? anonymousAuthenticator : undefined);
  const first = o.serviceAccountIssuers[0]!;
  const oidc = issuerProblem(first) ? undefined : oidcDocuments(first, o.serviceAccountJwksUri ?? `${serverUrl}${JWKS_PATH}`, keys.verification);
  return { keys, issuer, legacyIssuer: new TokenIssuer(keys.signing, LEGACY_ISSUER), tokens, request, oidc };
}
