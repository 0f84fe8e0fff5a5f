// The console's calls to the API: every one carries the signed-in token as `Authorization: Bearer`
// (never a cookie, never the URL), so the server authorizes each as that identity.
import type { UserInfo } from '../api/user.js';

/** The token was refused (401): the console goes back to its sign-in form with the message. */
export class Unauthorized extends Error {}

export interface Api {
  /** A request; a 401 reply throws Unauthorized, any other reply is returned. */
  request(path: string, init?: { method?: string; body?: string; accept?: string; signal?: AbortSignal }): Promise<Response>;
}

/** The Status message of a reply (its text when it is no Status). */
export async function replyMessage(res: Response): Promise<string> {
  const text = await res.text();
  try {
    return (JSON.parse(text) as { message?: string }).message || `HTTP ${res.status}`;
  } catch {
    return text.trim() || `HTTP ${res.status}`;
  }
}

export function bearerApi(token: string, fetchFn: typeof fetch = fetch, base = ''): Api {
  return {
    async request(path, init = {}) {
      // The apiserver indents JSON for a browser's user agent (as kube-apiserver does) unless told
      // not to: a list of 10,000 bindings is 10.6 MB indented, 6.4 MB not.
      const res = await fetchFn(`${base}${path}${path.includes('?') ? '&' : '?'}pretty=false`, {
        method: init.method ?? 'GET',
        headers: { Authorization: `Bearer ${token}`, Accept: init.accept ?? 'application/json', ...(init.body ? { 'Content-Type': 'application/json' } : {}) },
        ...(init.body ? { body: init.body } : {}),
        ...(init.signal ? { signal: init.signal } : {}),
        credentials: 'omit',
        cache: 'no-store',
      });
      if (res.status === 401) throw new Unauthorized(await replyMessage(res));
      return res;
    },
  };
}

/** Who the token stands for, from a SelfSubjectReview. */
export async function whoAmI(api: Api): Promise<UserInfo> {
  const res = await api.request('/apis/authentication.k8s.io/v1/selfsubjectreviews', { method: 'POST', body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }) });
  if (!res.ok) throw new Error(`who am I (a SelfSubjectReview): ${await replyMessage(res)}`);
  const review = (await res.json()) as { status?: { userInfo?: { username?: string; groups?: string[] } } };
  return { username: review.status?.userInfo?.username ?? '', groups: review.status?.userInfo?.groups ?? [] };
}
