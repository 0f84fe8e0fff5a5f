// The server the connection tests crowd: short timeouts, three reads and three writes in flight at
// most, and a ServiceAccount token that is not system:masters (whose requests may be refused).
import { startBadge, type Badge } from '../e2e/harness.js';

export const HEADERS_TIMEOUT_MS = 1500;
export const REQUEST_TIMEOUT_MS = 2500;

export async function startTightBadge(): Promise<{ b: Badge; token: string }> {
  const b = await startBadge({ headersTimeoutMs: HEADERS_TIMEOUT_MS, requestTimeoutMs: REQUEST_TIMEOUT_MS, inFlight: { mutating: 3, readOnly: 3 } });
  await b.api('POST', '/api/v1/namespaces/default/serviceaccounts', JSON.stringify({ metadata: { name: 'crowd' } }));
  return { b, token: (await b.kubectl(['create', 'token', 'crowd'])).stdout.trim() };
}
