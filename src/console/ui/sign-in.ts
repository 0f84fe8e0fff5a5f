// The sign-in form: a bearer token, kept in this tab's sessionStorage only.
import { h } from './dom.js';

export const TOKEN_KEY = 'badge-console-token';

export function signInForm(message: string, signIn: (token: string) => void): HTMLElement {
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true });
  const form = h(
    'form',
    { class: 'sign-in', onsubmit: (e: Event) => (e.preventDefault(), input.value.trim() && signIn(input.value.trim())) },
    h('h1', {}, 'Badge console'),
    h('p', {}, 'Sign in with a bearer token. The console reads the cluster through the API as that identity, and shows only what it may read.'),
    message ? h('p', { class: 'error', role: 'alert' }, message) : null,
    h('label', { for: 'token' }, 'Bearer token'),
    input,
    h('button', { type: 'submit' }, 'Sign in'),
    h('p', { class: 'hint' }, 'A ServiceAccount\u2019s token: ', h('code', {}, 'kubectl create token NAME -n NAMESPACE'), '. The token stays in this tab (session storage): no cookie, never in a URL.'),
  );
  queueMicrotask(() => input.focus());
  return form;
}
