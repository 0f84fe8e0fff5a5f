// A pseudo-terminal for `exec -t` and containers with `tty: true`, without native modules: a small
// python3 program owns the pty, runs the command on its slave side as the session's controlling
// terminal, copies stdin to the terminal and the terminal to stdout, and takes window sizes
// ("COLS ROWS\n") on a file descriptor of its own. For exec the pty comes from the container's own
// devpts (its ptmx, reached through /proc/<pid>/root), so that the command finds its terminal by
// name and the host's terminals are not in the container; a container's main process gets its
// pty before the container exists, from the host's /dev/ptmx (it holds only its own terminal).
// Without python3, util-linux `script` gives a terminal of the host that cannot be resized.
import { accessSync, constants } from 'node:fs';

const PROGRAM = String.raw`
import errno, fcntl, os, select, signal, stat, struct, sys, termios

def set_size(fd, cols, rows):
    try:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
    except OSError:
        pass

def write_all(fd, data):
    while data:
        try:
            n = os.write(fd, data)
        except OSError as e:
            if e.errno == errno.EINTR:
                continue
            return False
        data = data[n:]
    return True

cols, rows, ptmx, resize_fd = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
parent_closes = [int(fd) for fd in sys.argv[5].split(',') if fd]
argv = sys.argv[6:]
master = os.open(ptmx, os.O_RDWR | os.O_NOCTTY | os.O_NOFOLLOW)
st = os.fstat(master)
if not stat.S_ISCHR(st.st_mode) or (os.major(st.st_rdev), os.minor(st.st_rdev)) != (5, 2):
    sys.exit('not a ptmx: ' + ptmx)
fcntl.ioctl(master, 0x40045431, struct.pack('i', 0))  # TIOCSPTLCK: unlock
slave = fcntl.ioctl(master, 0x5441, os.O_RDWR | os.O_NOCTTY)  # TIOCGPTPEER
set_size(slave, cols, rows)
pid = os.fork()
if pid == 0:
    try:
        os.close(master)
        try:
            os.close(resize_fd)
        except OSError:
            pass
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        for fd in (0, 1, 2):
            os.dup2(slave, fd)
        if slave > 2:
            os.close(slave)
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        os.execvp(argv[0], argv)
    except OSError as e:
        os.write(2, ('exec %s: %s\r\n' % (argv[0], e.strerror)).encode())
    os._exit(127)
os.close(slave)
for fd in parent_closes:
    try:
        os.close(fd)
    except OSError:
        pass
readers = [master, 0, resize_fd]
pending = b''
while master in readers:
    try:
        ready, _, _ = select.select(readers, [], [])
    except InterruptedError:
        continue
    for fd in ready:
        try:
            data = os.read(fd, 65536)
        except OSError as e:
            if e.errno == errno.EINTR:
                continue
            data = b''
        if fd == master:
            if not data or not write_all(1, data):
                readers.remove(master)
        elif fd == 0:
            if not data:
                readers.remove(0)
                write_all(master, b'\x04')
            else:
                write_all(master, data)
        else:
            if not data:
                readers.remove(resize_fd)
                continue
            pending += data
            while b'\n' in pending:
                line, pending = pending.split(b'\n', 1)
                parts = line.split()
                if len(parts) == 2:
                    set_size(master, int(parts[0]), int(parts[1]))
_, status = os.waitpid(pid, 0)
if os.WIFEXITED(status):
    sys.exit(os.WEXITSTATUS(status))
sys.exit(128 + os.WTERMSIG(status))
`;

const PYTHONS = ['/usr/bin/python3', '/usr/local/bin/python3', '/bin/python3'];

/** The host python3, if there is one. */
export function hostPython(): string | undefined {
  for (const p of PYTHONS) {
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // try the next
    }
  }
  return undefined;
}

export interface PtyOptions {
  cols: number;
  rows: number;
  /** The ptmx to open. */
  ptmx: string;
  /** The descriptor the sizes come on (closed in the command). */
  resizeFd: number;
  /** Descriptors meant for the command only, closed in the program that owns the pty. */
  parentCloses: number[];
}

/** The argv that runs `argv` on a new terminal. */
export function ptyCommand(argv: string[], o: PtyOptions): { argv: string[]; resizable: boolean } {
  const { cols, rows } = o;
  const python = hostPython();
  if (python) return { argv: [python, '-c', PROGRAM, String(cols), String(rows), o.ptmx, String(o.resizeFd), o.parentCloses.join(','), ...argv], resizable: true };
  const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return { argv: ['script', '-qfec', `stty cols ${cols} rows ${rows} 2>/dev/null; exec ${quoted}`, '/dev/null'], resizable: false };
}
