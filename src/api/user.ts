/** An authenticated identity (k8s.io/apiserver user.Info). */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export const SYSTEM_MASTERS = 'system:masters';

/** The identity in-process controllers act as. */
export const controllerUser = (name: string): UserInfo => ({ username: `system:serviceaccount:kube-system:${name}`, groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'] });

/** The API server's own identity for work it does on its own behalf. */
export const apiserverUser: UserInfo = { username: 'system:apiserver', groups: [SYSTEM_MASTERS, 'system:authenticated'] };
