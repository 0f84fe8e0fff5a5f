// The text Go's net package prints for a failed dial (*net.OpError), which clients of Kubernetes
// see in port-forward, webhook and aggregated-API errors.

/** The text Go's syscall errors print, for the errors a dial meets. */
const ERRNO: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  EADDRNOTAVAIL: 'cannot assign requested address',
  ENETUNREACH: 'network is unreachable',
  EHOSTUNREACH: 'no route to host',
  ETIMEDOUT: 'connection timed out',
  EAFNOSUPPORT: 'address family not supported by protocol',
};

/** `dial tcp4 127.0.0.1:80: connect: connection refused`, for Node's error of that dial. */
export function dialError(network: string, address: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return `dial ${network} ${address}: connect: ${ERRNO[code] ?? (err as Error).message}`;
}
