// The console's address bar: the sign-in fragment (`#token=TOKEN&subject=NAME`, read once and
// cleared at once) and the views' routes (`#/subjects`, `#/subject/NAME`, `#/who-can`, `#/findings`).

export interface SignIn {
  token: string;
  subject?: string;
}

const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** The fragment's parameters, each decoded (a `+` stays a `+`: tokens may hold one). */
function fragmentParams(hash: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of hash.replace(/^#/, '').split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq), decode(part.slice(eq + 1)));
  }
  return params;
}

/** The token (and subject) of a sign-in fragment, or undefined when the fragment holds none. */
export function parseSignIn(hash: string): SignIn | undefined {
  const params = fragmentParams(hash);
  const token = params.get('token')?.trim();
  if (!token) return undefined;
  const subject = params.get('subject')?.trim();
  return { token, ...(subject ? { subject } : {}) };
}

export type Route = { view: 'subjects' } | { view: 'subject'; subject: string } | { view: 'who-can' } | { view: 'findings' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  if (path.startsWith('subject/')) {
    const subject = decode(path.slice('subject/'.length));
    if (subject) return { view: 'subject', subject };
  }
  if (path === 'who-can') return { view: 'who-can' };
  if (path === 'findings') return { view: 'findings' };
  return { view: 'subjects' };
}

export function routeHash(route: Route): string {
  return route.view === 'subject' ? `#/subject/${encodeURIComponent(route.subject)}` : `#/${route.view}`;
}
