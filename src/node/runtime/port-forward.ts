// Forwarding a connection to a port of a pod whose processes share the host's network (the
// process runtime): the port is the host's loopback port, dialled as containerd dials a pod's
// localhost (IPv4 first, then IPv6), copied both ways until one way ends and then at most a
// second more for the other, as containerd does; a port nothing listens on gets containerd's
// message (with the network namespace "host", as for a hostNetwork pod).
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { dialError } from '../../api/go-net.js';

function dial(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}

/** Copies between `stream` and the host's loopback `port`; rejects when nothing answers there. */
export async function forwardToLoopback(sandboxId: string, port: number, stream: Duplex): Promise<void> {
  let socket: Socket;
  try {
    socket = await dial('127.0.0.1', port);
  } catch (e4) {
    try {
      socket = await dial('::1', port);
    } catch (e6) {
      const detail = `failed to connect to localhost:${port} inside namespace "${sandboxId}", IPv4: ${dialError('tcp4', `127.0.0.1:${port}`, e4)} IPv6 ${dialError('tcp6', `[::1]:${port}`, e6)} `;
      throw new Error(`failed to execute portforward in network namespace "host": ${detail}`);
    }
  }
  await new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      if (timer) clearTimeout(timer);
      stream.unpipe(socket);
      socket.unpipe(stream);
      socket.destroy();
      resolve();
    };
    const oneWayDone = () => {
      if (timer) return finish();
      timer = setTimeout(finish, 1000);
      timer.unref();
    };
    socket.on('error', finish);
    socket.once('close', finish);
    stream.once('close', finish);
    stream.once('end', oneWayDone);
    socket.once('end', oneWayDone);
    stream.pipe(socket, { end: false });
    socket.pipe(stream, { end: false });
  });
}
