// --token-auth-file: kube-apiserver's static token CSV, `token,user,uid[,"group1,group2,…"]`.
import { readFileSync } from 'node:fs';
import type { UserInfo } from '../../api/user.js';
import type { TokenAuthenticator } from './token.js';

/** Splits one CSV line, honouring double quotes. */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(cur);
      cur = '';
    } else cur += c;
  }
  fields.push(cur);
  return fields.map((f) => f.trimStart());
}

export function parseTokenFile(text: string, path: string): Map<string, UserInfo> {
  const users = new Map<string, UserInfo>();
  text.split(/\r?\n/).forEach((line) => {
    if (!line.trim()) return;
    const f = csvFields(line);
    if (f.length < 3) throw new Error(`token file '${path}' must have at least 3 columns (token, user name, user uid), found ${f.length}`);
    const [token, username, uid, groups] = f as [string, string, string, string | undefined];
    if (users.has(token)) console.warn(`badge: duplicate token in ${path}; the last one wins`);
    const user: UserInfo = { username, uid, groups: groups ? groups.split(',').map((g) => g.trim()).filter(Boolean) : [] };
    users.set(token, user);
  });
  return users;
}

export function staticTokenAuthenticator(path: string, apiAudiences: string[]): TokenAuthenticator {
  const users = parseTokenFile(readFileSync(path, 'utf8'), path);
  return {
    async authenticateToken(token) {
      const user = users.get(token);
      return user ? { user, audiences: apiAudiences } : undefined;
    },
  };
}
