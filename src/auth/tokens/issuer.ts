// Signs ServiceAccount tokens: header exactly {alg, kid}, claims in the order Go writes them,
// `iss` always the issuer's.
import { signCompact } from './jws.js';
import type { SigningKey } from './keys.js';

function sortedKeys(claims: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(claims).sort()) out[k] = (claims as Record<string, unknown>)[k];
  return out;
}

export class TokenIssuer {
  constructor(
    private readonly key: SigningKey,
    readonly issuer: string,
  ) {}

  get alg(): string {
    return this.key.alg;
  }

  sign(claims: object): Promise<string> {
    const payload = sortedKeys({ ...claims, iss: this.issuer });
    return signCompact({ alg: this.key.alg, kid: this.key.kid }, Buffer.from(JSON.stringify(payload)), this.key.privateKey);
  }
}
