import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../api/clock.js';
import type { Pod } from '../../api/kinds.js';
import type { PodRec } from '../pod-record.js';
import type { ContainerHandle } from '../runtime/runtime.js';
import type { KernelSample } from './kernel.js';
import { FIRST_WINDOW_MS, INTERVAL_MS, NOT_MEASURED_REASON, usageBetween, UsageSampler } from './sampler.js';

const T0 = new Date('2024-05-01T10:00:00Z');

function podRec(name: string, containers: string[]): PodRec {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid: `uid-${name}` } } as Pod;
  const rec: PodRec = { uid: `uid-${name}`, namespace: 'default', name, pod, podIPs: [], sandboxReady: true, containers: new Map(), terminal: false, killed: false };
  for (const c of containers) {
    const handle = { exited: new Promise(() => {}), stop: async () => ({ exitCode: 0, reason: 'Completed' }) } as ContainerHandle;
    rec.containers.set(c, { name: c, handle, status: { name: c, ready: true, restartCount: 0, image: 'x', imageID: '', containerID: `badge://${name}-${c}`, state: { running: { startedAt: T0.toISOString() } } } });
  }
  return rec;
}

describe('the usage sampler', () => {
  it('computes usage from two samples: nanocores over the window, the last working set', () => {
    assert.deepEqual(usageBetween({ at: 0, cpuNs: 1e9, memoryBytes: 1 }, { at: 10_000, cpuNs: 6e9, memoryBytes: 4096 }), { usage: { cpuNanoCores: 500_000_000, memoryBytes: 4096 }, windowMs: 10_000 });
    assert.equal(usageBetween({ at: 0, cpuNs: 2e9, memoryBytes: 1 }, { at: 10_000, cpuNs: 1e9, memoryBytes: 1 }), undefined, 'a decrease is another process tree');
    assert.equal(usageBetween({ at: 5, cpuNs: 0, memoryBytes: 1 }, { at: 5, cpuNs: 0, memoryBytes: 1 }), undefined);
  });

  it('samples a container at once, after the first window, then every interval; a pod once all its containers have figures', async () => {
    const clock = new ManualClock(T0);
    const cpu = new Map<ContainerHandle, number>();
    const reads: string[] = [];
    const web = podRec('web', ['app', 'sidecar']);
    const handles = [...web.containers.values()].map((c) => c.handle!);
    const sampler = new UsageSampler({
      clock,
      nodeName: 'node-1',
      pods: () => [web],
      measure: async (h): Promise<KernelSample> => {
        reads.push([...web.containers.values()].find((c) => c.handle === h)!.name);
        return { cpuNs: cpu.get(h) ?? 0, memoryBytes: 1024 * 1024 };
      },
      host: async () => ({ cpuNs: clock.now().getTime() * 1e6, memoryBytes: 2048 }),
      events: { event: () => assert.fail('no event when figures are measured') },
    });
    await sampler.tick();
    assert.deepEqual(reads, ['app', 'sidecar']);
    assert.equal(sampler.pod('default', 'web'), undefined, 'one sample is no figure');
    assert.equal(sampler.node('node-1'), undefined);
    clock.advance(1000);
    await sampler.tick();
    assert.equal(reads.length, 2, 'nothing due yet');
    clock.advance(FIRST_WINDOW_MS - 1000);
    cpu.set(handles[0]!, 2.5e9); // 2.5 s of CPU in 5 s: half a core
    await sampler.tick();
    const u = sampler.pod('default', 'web')!;
    assert.equal(u.windowMs, FIRST_WINDOW_MS);
    assert.deepEqual(u.timestamp, new Date(T0.getTime() + FIRST_WINDOW_MS));
    assert.deepEqual(u.containers, [
      { name: 'app', usage: { cpuNanoCores: 500_000_000, memoryBytes: 1024 * 1024 } },
      { name: 'sidecar', usage: { cpuNanoCores: 0, memoryBytes: 1024 * 1024 } },
    ]);
    // The host: as fast as the clock (1 ms of CPU per ms), one core.
    assert.deepEqual(sampler.node('node-1'), { timestamp: new Date(T0.getTime() + FIRST_WINDOW_MS), windowMs: FIRST_WINDOW_MS, usage: { cpuNanoCores: 1e9, memoryBytes: 2048 } });
    assert.equal(sampler.node('other'), undefined);
    clock.advance(INTERVAL_MS - 1);
    await sampler.tick();
    assert.equal(reads.length, 4);
    clock.advance(1);
    await sampler.tick();
    assert.equal(reads.length, 6);
    assert.equal(sampler.pod('default', 'web')!.windowMs, INTERVAL_MS);
    // A container that ends takes its pod's figures with it once no container runs.
    for (const c of web.containers.values()) c.status = { ...c.status, state: { terminated: { exitCode: 0 } } };
    await sampler.tick();
    assert.equal(sampler.pod('default', 'web'), undefined);
  });

  it('reports zeros for a runtime that measures nothing, and says so on the pod when they are read', async () => {
    const clock = new ManualClock(T0);
    const events: string[] = [];
    const sampler = new UsageSampler({
      clock,
      nodeName: 'node-1',
      pods: () => [podRec('db', ['db'])],
      host: async () => undefined,
      events: { event: (ref, type, reason) => events.push(`${ref.name} ${type} ${reason}`) },
    });
    await sampler.tick();
    assert.deepEqual(events, []);
    const u = sampler.pod('default', 'db')!;
    assert.deepEqual(u.containers, [{ name: 'db', usage: { cpuNanoCores: 0, memoryBytes: 0 } }]);
    sampler.pod('default', 'db');
    assert.deepEqual(events, [`db Normal ${NOT_MEASURED_REASON}`]);
    assert.equal(sampler.node('node-1'), undefined);
  });
});
