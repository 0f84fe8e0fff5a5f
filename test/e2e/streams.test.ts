// exec, attach and port-forward with the real kubectl of each version, as each speaks them:
// kubectl 1.27 and 1.28 over SPDY/3.1 (exec, attach, port-forward), 1.31 and 1.33 over WebSockets
// (exec and attach: v5.channel.k8s.io; port-forward: SPDY tunnelled through a WebSocket), and
// the Python client (WebSockets, v4.channel.k8s.io), against the process runtime; RBAC's
// `create` on pods/attach and pods/portforward; the simulated runtime's refusals.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { detectMode } from '../../src/node/runtime/process.js';
import { eventually } from '../../src/testing/eventually.js';
import { KUBECTL_DIR, run, startBadge, type Badge } from './harness.js';
import { freePort } from '../../src/testing/ports.js';

let unavailable: string | undefined;
try {
  detectMode();
} catch (err) {
  unavailable = (err as Error).message;
}
const pythonClient = spawnSync('/usr/bin/python3', ['-c', 'import kubernetes'], { encoding: 'utf8' }).status === 0;

const VERSIONS = ['1.27', '1.28', '1.31', '1.33'];
const SPDY = ['1.27', '1.28'];

const manifests = (webPort: number) => `
apiVersion: v1
kind: ConfigMap
metadata:
  name: site
data:
  hello.txt: "hello through the tunnel\\n"
---
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: main
    image: python
    command: ["python3", "-m", "http.server", "${webPort}", "--bind", "127.0.0.1", "--directory", "/srv"]
    volumeMounts:
    - name: site
      mountPath: /srv
  volumes:
  - name: site
    configMap:
      name: site
---
apiVersion: v1
kind: Pod
metadata:
  name: box
spec:
  containers:
  - name: main
    image: busybox
    command: ["sleep", "3600"]
---
apiVersion: v1
kind: Pod
metadata:
  name: reader
spec:
  containers:
  - name: main
    image: busybox
    stdin: true
    command: ["sh", "-c", "while read l; do echo \\"got $l\\"; done"]
---
apiVersion: v1
kind: Pod
metadata:
  name: term
spec:
  containers:
  - name: main
    image: busybox
    stdin: true
    tty: true
    command: ["sh"]
---
apiVersion: v1
kind: Pod
metadata:
  name: ticker
spec:
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.3; done"]
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: getter
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: get-only
rules:
- apiGroups: [""]
  resources: ["pods", "pods/attach", "pods/portforward"]
  verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: getter
subjects:
- kind: ServiceAccount
  name: getter
roleRef:
  kind: Role
  name: get-only
  apiGroup: rbac.authorization.k8s.io
`;

/** A kubectl that runs on: its output so far, and a way to wait for some of it. */
interface Running {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  until(what: string | RegExp, ms?: number): Promise<void>;
  exited: Promise<number | null>;
  stop(): void;
}

function start(cmd: string, args: string[], opts: { detached?: boolean } = {}): Running {
  const child = spawn(cmd, args, { detached: opts.detached });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    out: () => out,
    err: () => err,
    until: async (what, ms = 15_000) => void (await eventually(() => (typeof what === 'string' ? out.includes(what) : what.test(out)), `${JSON.stringify(String(what))} in ${JSON.stringify(out)} (stderr ${JSON.stringify(err)})`, ms)),
    exited,
    stop() {
      try {
        if (opts.detached) process.kill(-child.pid!, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // gone
      }
    },
  };
}

describe('exec, attach and port-forward with each kubectl', { skip: unavailable, timeout: 600_000 }, () => {
  let b: Badge;
  let webPort: number;
  const kubectlArgs = (v: string) => [join(KUBECTL_DIR, `kubectl.${v}`), ['--kubeconfig', b.kubeconfig, '--cache-dir', join(b.dataDir, `cache-${v}`)]] as const;

  before(async () => {
    b = await startBadge({ runtime: 'process' });
    webPort = await freePort();
    const r = await b.kubectl(['apply', '-f', '-'], { stdin: manifests(webPort) });
    assert.equal(r.code, 0, r.stderr);
    const w = await b.kubectl(['wait', '--for=condition=Ready', 'pod/web', 'pod/box', 'pod/reader', 'pod/term', 'pod/ticker', '--timeout=90s']);
    assert.equal(w.code, 0, w.stderr);
  });
  after(async () => {
    await b?.close();
  });

  for (const v of VERSIONS) {
    it(`kubectl ${v} exec: output, exit codes, stdin${SPDY.includes(v) ? ' (SPDY)' : ''}`, async () => {
      const three = await b.kubectl(['exec', 'box', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3'], { version: v });
      assert.deepEqual(three, { code: 3, stdout: 'out\n', stderr: 'err\ncommand terminated with exit code 3\n' });
      const cat = await b.kubectl(['exec', '-i', 'box', '--', 'sh', '-c', 'cat; echo done'], { version: v, stdin: 'one\ntwo\n' });
      assert.deepEqual(cat, { code: 0, stdout: 'one\ntwo\ndone\n', stderr: '' });
      // More than one frame's worth, all of it before the Status.
      const big = await b.kubectl(['exec', 'box', '--', 'sh', '-c', 'head -c 300000 /dev/zero | tr "\\0" x'], { version: v });
      assert.equal(big.code, 0, big.stderr);
      assert.equal(big.stdout, 'x'.repeat(300000));
    });
  }

  for (const v of SPDY) {
    it(`kubectl ${v} exec -t over SPDY: a terminal, its exit code`, async () => {
      const [bin, args] = kubectlArgs(v);
      const cmd = [bin, ...args, 'exec', '-it', 'box', '--', 'sh', '-c', "'tty; exit 4'"].join(' ');
      const tty = await run('script', ['-qec', cmd, '/dev/null']);
      assert.equal(tty.code, 4, tty.stdout + tty.stderr);
      assert.match(tty.stdout, /\/dev\/pts\/\d+\r\n/);
      assert.match(tty.stdout, /command terminated with exit code 4/);
    });
  }

  for (const v of VERSIONS) {
    it(`kubectl ${v} attach -i: stdin reaches the container, its output comes back`, async () => {
      const [bin, args] = kubectlArgs(v);
      const k = start(bin, [...args, 'attach', '-i', '-q', 'reader']);
      // Until the session is up, a line may be written before anyone listens: write until seen.
      await eventually(async () => {
        k.child.stdin!.write(`hello-${v}\n`);
        await new Promise((r) => setTimeout(r, 200));
        return k.out().includes(`got hello-${v}\n`);
      }, `got hello-${v}`, 15_000, 0);
      // The end of stdin ends the session (no stdinOnce); the container reads on.
      k.child.stdin!.end();
      assert.equal(await k.exited, 0, k.err());
      const again = await b.kubectl(['get', 'pod', 'reader', '-o', 'jsonpath={.status.containerStatuses[0].restartCount}']);
      assert.equal(again.stdout, '0');
    });

    it(`kubectl ${v} attach -it: the container's terminal`, async () => {
      const [bin, args] = kubectlArgs(v);
      const k = start('script', ['-qec', [bin, ...args, 'attach', '-it', 'term'].join(' '), '/dev/null'], { detached: true });
      try {
        await eventually(async () => {
          k.child.stdin!.write('echo hello-$((6*7))\r');
          await new Promise((r) => setTimeout(r, 300));
          return /hello-42\r\n/.test(k.out());
        }, 'the echo of the terminal', 20_000, 0);
        assert.match(k.out(), /If you don't see a command prompt, try pressing enter\./);
      } finally {
        k.stop();
      }
    });
  }

  it('two attached sessions see the same output; attach -i to a container without stdin gets its output', async () => {
    const [spdyBin, spdyArgs] = kubectlArgs('1.27');
    const [wsBin, wsArgs] = kubectlArgs('1.33');
    const one = start(spdyBin, [...spdyArgs, 'attach', '-q', 'ticker']);
    const two = start(wsBin, [...wsArgs, 'attach', '-i', '-q', 'ticker']);
    two.child.stdin!.write('ignored\n');
    try {
      const common = () => {
        const a = new Set(one.out().split('\n').filter((l) => /^tick \d+$/.test(l)));
        return two.out().split('\n').filter((l) => a.has(l)).length >= 3;
      };
      await eventually(common, `common ticks in ${JSON.stringify(one.out())} and ${JSON.stringify(two.out())}`, 15_000);
    } finally {
      one.stop();
      two.stop();
    }
  });

  for (const v of VERSIONS) {
    it(`kubectl ${v} port-forward: a page from the pod's HTTP server${SPDY.includes(v) ? ' (SPDY)' : ' (SPDY in a WebSocket)'}`, async () => {
      const [bin, args] = kubectlArgs(v);
      const local = await freePort();
      const k = start(bin, [...args, 'port-forward', 'pod/web', `${local}:${webPort}`, '-v=6']);
      try {
        await k.until(`Forwarding from 127.0.0.1:${local} -> ${webPort}`);
        for (let i = 0; i < 2; i++) {
          const page = await fetch(`http://127.0.0.1:${local}/hello.txt`);
          assert.equal(page.status, 200);
          assert.equal(await page.text(), 'hello through the tunnel\n');
        }
        // Which way it went: the WebSocket tunnel from 1.31 on, and no fallback to plain SPDY.
        if (SPDY.includes(v)) assert.doesNotMatch(k.err(), /Sec-Websocket-Protocol/i);
        else assert.doesNotMatch(k.err(), /fallback/);
      } finally {
        k.stop();
      }
    });
  }

  it('port-forward to a port nothing listens on: the kubelet and containerd texts, then kubectl gives up', async () => {
    const [bin, args] = kubectlArgs('1.27');
    const [local, remote] = [await freePort(), await freePort()];
    const k = start(bin, [...args, 'port-forward', 'pod/web', `${local}:${remote}`]);
    try {
      await k.until(`Forwarding from 127.0.0.1:${local} -> ${remote}`);
      await fetch(`http://127.0.0.1:${local}/`).catch(() => undefined);
      await eventually(() => /lost connection to pod/.test(k.err()), `the error in ${JSON.stringify(k.err())}`, 15_000);
      assert.match(
        k.err(),
        new RegExp(
          `an error occurred forwarding ${local} -> ${remote}: error forwarding port ${remote} to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace "host": failed to connect to localhost:${remote} inside namespace "[0-9a-f]{64}", IPv4: dial tcp4 127\\.0\\.0\\.1:${remote}: connect: connection refused IPv6 dial tcp6 \\[::1\\]:${remote}: connect: `,
        ),
      );
    } finally {
      k.stop();
    }
  });

  it("the Python client: stream() exec and portforward()", { skip: pythonClient ? false : '/usr/bin/python3 has no kubernetes module (apt-get install python3-kubernetes)' }, async () => {
    const script = `
import sys
from kubernetes import client, config
from kubernetes.stream import stream, portforward
config.load_kube_config(sys.argv[1])
api = client.CoreV1Api()
print(repr(stream(api.connect_get_namespaced_pod_exec, 'box', 'default', command=['sh', '-c', 'echo hi'], stderr=True, stdin=False, stdout=True, tty=False)))
r = stream(api.connect_get_namespaced_pod_exec, 'box', 'default', command=['sh', '-c', 'exit 5'], stderr=True, stdin=False, stdout=True, tty=False, _preload_content=False)
r.run_forever(timeout=20)
print(r.returncode)
pf = portforward(api.connect_get_namespaced_pod_portforward, 'web', 'default', ports=sys.argv[2])
s = pf.socket(int(sys.argv[2]))
s.setblocking(True)
s.sendall(b'GET /hello.txt HTTP/1.0\\r\\n\\r\\n')
data = b''
while True:
    c = s.recv(4096)
    if not c:
        break
    data += c
print(repr(data.split(b'\\r\\n')[0]), repr(data.split(b'\\r\\n\\r\\n', 1)[1]))
`;
    const r = await run('/usr/bin/python3', ['-c', script, b.kubeconfig, String(webPort)]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "'hi\\n'\n5\nb'HTTP/1.0 200 OK' b'hello through the tunnel\\n'\n");
  });

  it('attach and port-forward need create on pods/attach and pods/portforward, whatever the protocol', async () => {
    const as = '--as=system:serviceaccount:default:getter';
    const forbidden = (sub: string) => `pods "web" is forbidden: User "system:serviceaccount:default:getter" cannot create resource "pods/${sub}" in API group "" in the namespace "default"`;
    for (const v of ['1.27', '1.33']) {
      const attach = await b.kubectl(['attach', as, '-q', 'web'], { version: v });
      assert.equal(attach.code, 1);
      assert.ok(attach.stderr.includes(`Error from server (Forbidden): ${forbidden('attach')}`), attach.stderr);
      const pf = await b.kubectl(['port-forward', as, 'pod/web', `${await freePort()}:${webPort}`], { version: v });
      assert.equal(pf.code, 1);
      assert.ok(pf.stderr.includes(forbidden('portforward')), pf.stderr);
    }
  });
});

describe('the simulated runtime refuses attach and port-forward', { timeout: 120_000 }, () => {
  let b: Badge;
  before(async () => {
    b = await startBadge();
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: sim\nspec:\n  containers:\n  - name: main\n    image: busybox\n    command: ["sleep", "3600"]\n';
    assert.equal((await b.kubectl(['apply', '-f', '-'], { stdin: pod })).code, 0);
    assert.equal((await b.kubectl(['wait', '--for=condition=Ready', 'pod/sim', '--timeout=30s'])).code, 0);
  });
  after(async () => {
    await b?.close();
  });

  for (const v of ['1.27', '1.33']) {
    it(`kubectl ${v}`, async () => {
      const attach = await b.kubectl(['attach', '-q', 'sim'], { version: v });
      assert.equal(attach.code, 1);
      assert.equal(
        attach.stderr,
        // client-go reports a Status on the error stream by its message.
        'error: the simulated runtime runs no processes, so there is nothing to attach to; start the server with `badge server --runtime process` to attach to containers\n',
      );
      const pf = await b.kubectl(['port-forward', 'pod/sim', `${await freePort()}:80`], { version: v });
      assert.equal(pf.code, 1);
      assert.match(pf.stderr, /the simulated runtime runs no processes, so nothing listens on the pod's ports; start the server with `badge server --runtime process` to forward ports to containers\n$/);
    });
  }
});
