// A watch client in its own process, for tests that stop it (SIGSTOP) as a client that stops
// reading: `node watch-client.js PORT DATA_DIR PATH [h2]`, over HTTP/1.1 or HTTP/2. It prints
// `sent` once its request is out; when the server ends the stream (its last chunk, a reset, or
// the connection cut), or on SIGTERM, it prints the names of the ConfigMaps it got and `ended` or
// `open`, and exits.
import { readFileSync } from 'node:fs';
import { connect as h2connect } from 'node:http2';
import { join } from 'node:path';
import { connect } from 'node:tls';

const [port, dataDir, path, protocol] = process.argv.slice(2) as [string, string, string, string | undefined];
const pem = (f: string) => readFileSync(join(dataDir, 'pki', f));
const tls = { ca: pem('ca.crt'), cert: pem('admin.crt'), key: pem('admin.key'), servername: 'localhost' };
/** The names seen, and the stream's last bytes (a name or the last chunk may span two reads). */
const names: string[] = [];
let tail = '';
let reported = false;
const report = (how: string) => {
  if (reported) return;
  reported = true;
  process.stdout.write(`${JSON.stringify(names)}\n${how}\n`, () => process.exit(0));
};
const sent = () => process.stdout.write('sent\n');
const read = (d: string) => {
  const text = tail + d;
  const name = /"name":"(c-[^"]+)"/g;
  let m;
  let last = 0;
  while ((m = name.exec(text))) {
    names.push(m[1]!);
    last = name.lastIndex;
  }
  tail = text.slice(Math.max(last, text.length - 256));
  // HTTP/1.1's last chunk: the server ended the stream.
  if (tail.endsWith('\r\n0\r\n\r\n')) report('ended');
};

if (protocol === 'h2') {
  const session = h2connect(`https://127.0.0.1:${port}`, tls);
  session.on('error', () => undefined);
  const stream = session.request({ ':path': path });
  stream.setEncoding('latin1');
  stream.on('response', sent);
  stream.on('data', read);
  stream.on('close', () => report('ended'));
  stream.on('error', () => undefined);
} else {
  const s = connect({ host: '127.0.0.1', port: Number(port), ...tls, ALPNProtocols: ['http/1.1'] }, () => {
    s.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`, sent);
  });
  s.setEncoding('latin1');
  s.on('data', read);
  s.on('close', () => report('ended'));
  s.on('error', () => undefined);
}
process.on('SIGTERM', () => report('open'));
