import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import type { ContainerRun } from './runtime.js';
import { SimulatedRuntimeError, SimulatedRuntime } from './simulated.js';

const run = (spec: Partial<PodSpec>, name = 'app'): ContainerRun => ({
  pod: { metadata: { name: 'p', namespace: 'default', uid: 'u' }, spec: { containers: [], ...spec } },
  container: { name, image: 'x' },
  id: 'id',
  restartCount: 0,
  env: {},
  apiServer: { host: '127.0.0.1', port: 6443 },
  mounts: [],
  logPath: '/dev/null',
  scratchDir: '/tmp',
  security: { supplementalGroups: [], readOnlyRootFilesystem: false, noNewPrivs: false, privileged: false, capabilities: { add: [], drop: [] } },
});
const settle = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<'pending'>((r) => setTimeout(() => r('pending'), ms))]);

describe('the simulated runtime', () => {
  const rt = new SimulatedRuntime({ exitDelayMs: 20 });

  it('keeps containers of restartPolicy Always running until stopped', async () => {
    const h = await rt.start(run({ restartPolicy: 'Always', containers: [{ name: 'app' }] }));
    assert.equal(await settle(h.exited, 60), 'pending');
    assert.deepEqual(await h.stop(30_000), { exitCode: 0, reason: 'Completed' });
    assert.deepEqual(await h.exited, { exitCode: 0, reason: 'Completed' });
  });

  it('lets Job containers and init containers exit 0 after the delay', async () => {
    const job = await rt.start(run({ restartPolicy: 'OnFailure', containers: [{ name: 'app' }] }));
    assert.deepEqual(await settle(job.exited, 500), { exitCode: 0, reason: 'Completed' });
    const init = await rt.start(run({ restartPolicy: 'Always', initContainers: [{ name: 'init' }], containers: [{ name: 'app' }] }, 'init'));
    assert.deepEqual(await settle(init.exited, 500), { exitCode: 0, reason: 'Completed' });
    const sidecar = await rt.start(run({ restartPolicy: 'Never', initContainers: [{ name: 'side', restartPolicy: 'Always' }], containers: [{ name: 'app' }] }, 'side'));
    assert.equal(await settle(sidecar.exited, 60), 'pending');
    await sidecar.stop(0);
  });

  it('has nothing to exec into', async () => {
    const h = await rt.start(run({ containers: [{ name: 'app' }] }));
    await assert.rejects(rt.exec(h, run({}), ['ls'], { tty: false }), (err: unknown) => err instanceof SimulatedRuntimeError && /--runtime process/.test(err.message));
    await h.stop(0);
  });
});
