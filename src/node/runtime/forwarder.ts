// The in-cluster address of the API for `process` containers: a TCP forwarder from a loopback
// address of this server, port 443, to the API server's own address. TLS passes through; the
// serving certificate names the loopback address (and kubernetes.default.svc, which /etc/hosts of
// the containers maps to it).
import { connect, createServer, type Server, type Socket } from 'node:net';

export class ServiceForwarder {
  readonly ready: Promise<void>;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly host: string,
    readonly port: number,
    private targetHost: string,
    private targetPort: number,
  ) {
    this.server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    this.ready = new Promise((resolve, reject) => {
      this.server.once('error', (err: NodeJS.ErrnoException) => {
        reject(new Error(`the process runtime cannot serve the in-cluster API address ${host}:${port}: ${err.message}`));
      });
      this.server.listen(port, host, () => resolve());
    });
    this.ready.catch(() => {});
    this.server.unref();
  }

  /** Forwards new connections to another address (a server restarted on the same port). */
  retarget(host: string, port: number): void {
    this.targetHost = host;
    this.targetPort = port;
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
