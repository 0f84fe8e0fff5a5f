// HTTP/2 beside HTTP/1.1 on the API's TLS port (ALPN `h2`, which Go clients such as kubectl ask
// for): kube-apiserver's limits, the request and response classes that give the pipeline what
// Node's HTTP/1 ones have, and the life of a session: its idle timeout and its request bodies' deadline.
import { constants, Http2ServerRequest, Http2ServerResponse, type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';

/**
 * k8s.io/apiserver's secure_serving.go: 100 concurrent streams per connection (the default of
 * --http2-max-streams-per-connection); 256 KiB frames and receive window per stream ("at least
 * 99% of serialized resources in surveyed clusters were smaller than 256kb"), and a connection
 * window for all the streams at once.
 */
const MAX_CONCURRENT_STREAMS = 100;
const STREAM_WINDOW = 256 * 1024;

/**
 * secure_serving.go's MaxHeaderBytes: a request's line and headers (HTTP/1.1), or its header list
 * (HTTP/2), may take 1 MiB: a long label selector, an OIDC token with many groups, a request
 * impersonating many groups. Past it HTTP/1.1 gets a 431 and HTTP/2 a reset stream.
 */
export const MAX_HEADER_BYTES = 1024 * 1024;
/**
 * At most this many headers: as many as fit in MAX_HEADER_BYTES as HTTP/2 counts a header list
 * (each entry's name and value and 32 octets); Go counts only the bytes.
 */
export const MAX_HEADERS = MAX_HEADER_BYTES / 32;

/** secure_serving.go's IdleTimeout: a connection with no request open is closed after 90 s. */
const IDLE_TIMEOUT_MS = 90_000;

/** Node's HTTP/1 request has headersDistinct (each value of a repeated header); its HTTP/2 one has not. */
class Http2Request extends Http2ServerRequest {
  #distinct: Record<string, string[]> | undefined;
  get headersDistinct(): Record<string, string[]> {
    if (this.#distinct) return this.#distinct;
    const distinct: Record<string, string[]> = {};
    const raw = this.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) if (!raw[i]!.startsWith(':')) (distinct[raw[i]!] ??= []).push(raw[i + 1]!);
    return (this.#distinct = distinct);
  }
}

/** Node's HTTP/1 response tells with `destroyed` that the client has gone (writeList stops then). */
class Http2Response extends Http2ServerResponse<Http2Request> {}
// Defined on the prototype: node:http2's types declare `destroyed` (as a Writable's), its code has none.
Object.defineProperty(Http2Response.prototype, 'destroyed', {
  get(this: Http2ServerResponse) {
    return this.stream.destroyed;
  },
});

export const HTTP2_OPTIONS = {
  allowHTTP1: true as const,
  maxHeaderListPairs: MAX_HEADERS,
  settings: {
    maxConcurrentStreams: MAX_CONCURRENT_STREAMS,
    initialWindowSize: STREAM_WINDOW,
    maxFrameSize: STREAM_WINDOW,
    maxHeaderListSize: MAX_HEADER_BYTES,
  },
  Http2ServerRequest: Http2Request,
  Http2ServerResponse: Http2Response,
};

interface SessionLimits {
  /** How long a connection may take to send its first request's headers. */
  headersTimeoutMs: number;
  /** How long a request may take to send its body (HTTP/1.1's requestTimeout: the stream is reset past it). */
  bodyTimeoutMs: number;
}

/**
 * Looks after one session: its connection window fits every stream's; it is closed (GOAWAY)
 * when no request arrives within the headers timeout, and when no stream has been open for
 * IDLE_TIMEOUT_MS; a request body still arriving past the body timeout has its stream reset.
 */
export function superviseSession(session: ServerHttp2Session, limits: SessionLimits): void {
  session.setLocalWindowSize(STREAM_WINDOW * MAX_CONCURRENT_STREAMS);
  let open = 0;
  // One timer for the session's life, re-armed whenever its last stream closes; it does nothing
  // if it fires while a stream is open.
  const whenIdle = () => open === 0 && session.destroy();
  let idle = setTimeout(whenIdle, limits.headersTimeoutMs).unref();
  let served = false;
  session.on('stream', (stream: ServerHttp2Stream, _headers, flags: number) => {
    open++;
    if (!served) {
      served = true;
      clearTimeout(idle);
      idle = setTimeout(whenIdle, IDLE_TIMEOUT_MS).unref();
    }
    const body = flags & constants.NGHTTP2_FLAG_END_STREAM ? undefined : setTimeout(() => stream.state.remoteClose || stream.close(constants.NGHTTP2_CANCEL), limits.bodyTimeoutMs).unref();
    stream.once('close', () => {
      clearTimeout(body);
      if (--open === 0) idle.refresh();
    });
  });
  session.once('close', () => clearTimeout(idle));
}
