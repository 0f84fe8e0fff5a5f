// The ceiling for any Node server: a bare HTTPS server answering every request with fixed bytes.
// Run as a child process: node baseline-server.js <certFile> <keyFile> <bodyFile> <contentType>.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';

const [certFile, keyFile, bodyFile, contentType] = process.argv.slice(2);
const body = readFileSync(bodyFile!);
const server = createServer({ cert: readFileSync(certFile!), key: readFileSync(keyFile!) }, (req, res) => {
  req.resume();
  res.writeHead(200, { 'Content-Type': contentType!, 'Content-Length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as AddressInfo).port}`));
