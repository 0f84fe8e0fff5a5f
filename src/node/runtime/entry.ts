// The last step into a `process` container. capsh, started from the host's view of the mount
// namespace, changes root into the container's file system and drops the privileges (see
// privileges.ts); then a small shell runs as the container's user: it changes to the working
// directory, takes the container's environment from fd 5 (a file the runtime wrote), checks the
// command as runc does and execs it. Until then only the runtime's own environment is set: the
// loader of a privileged program would honour LD_PRELOAD and its kin from the pod's.
import { shq } from '../../api/shell.js';

/**
 * A bash line that closes every file descriptor above 5 (the runtime's): the server may hold some
 * it inherited without close-on-exec, which the container would get. (sh cannot name fds above 9.)
 */
export const CLOSE_INHERITED_FDS = 'for fd in /proc/self/fd/*; do fd=${fd##*/}; [ "$fd" -gt 5 ] && eval "exec $fd>&-"; done';

/** Names a POSIX shell exports as given; others it rejects (or, bash, keeps read-only). */
const exportable = (name: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !/^(BASH\w*|UID|EUID|PPID|SHELLOPTS)$/.test(name);

/**
 * The environment as a shell file: `export NAME='value'` lines, and for other names a
 * `badge_exec` that passes them through env(1) on its command line (a command whose name holds
 * `=` cannot follow them).
 */
export function envFile(env: Record<string, string>): string {
  const lines: string[] = [];
  const others: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (exportable(name)) lines.push(`export ${name}=${shq(value)}`);
    else others.push(shq(`${name}=${value}`));
  }
  if (others.length) lines.push(`badge_exec() { exec env ${others.join(' ')} "$@"; }`);
  return lines.join('\n') + '\n';
}

/** After the working directory: the environment, and nothing of the shells' own before it. */
const environment = ['unset PWD OLDPWD SHLVL', 'badge_exec() { exec "$@"; }', '. /proc/self/fd/5 || exit 128', 'exec 5<&-'];

/**
 * The shell that starts the container's command (`sh -c SCRIPT sh COMMAND ARGS…`): it reports
 * `ok`, or what runc would report for a working directory it cannot enter or a command it cannot
 * find (`start: …`), on fd 3, and restores the container's stderr from fd 4.
 */
export function startScript(workingDir: string): string {
  return [
    `cd ${shq(workingDir)} 2>/dev/null || { printf 'start: chdir to cwd ("%s") set in config.json failed: permission denied\\n' ${shq(workingDir)} >&3; exit 128; }`,
    ...environment,
    'if ! command -v "$1" >/dev/null 2>&1; then',
    '  case "$1" in',
    `    */*) printf 'start: exec: "%s": stat %s: no such file or directory\\n' "$1" "$1" >&3 ;;`,
    `    *) printf 'start: exec: "%s": executable file not found in $PATH\\n' "$1" >&3 ;;`,
    '  esac',
    '  exit 128',
    'fi',
    `printf 'ok\\n' >&3`,
    'exec 2>&4 3>&- 4>&-',
    'badge_exec "$@"',
  ].join('\n');
}

/** The shell that runs an exec'd command; a command it cannot find is reported on fd 4 (exit 127). */
export function execScript(workingDir: string): string {
  return [
    `cd ${shq(workingDir)} || exit 126`,
    ...environment,
    `if ! command -v "$1" >/dev/null 2>&1; then case "$1" in */*) printf 'stat %s: no such file or directory' "$1" >&4 ;; *) printf 'executable file not found in $PATH' >&4 ;; esac; exit 127; fi`,
    'exec 4>&-',
    'badge_exec "$@"',
  ].join('\n');
}
