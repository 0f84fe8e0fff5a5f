import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { podSpecDiff } from './cmp-diff.js';

type Obj = Record<string, unknown>;

describe('podSpecDiff', () => {
  it('renders the cmp diff of the internal specs', () => {
    const old: Obj = {
      containers: [{ name: 'app', image: 'nginx:1.25', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent' }],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      securityContext: {},
      schedulerName: 'default-scheduler',
    };
    const next = structuredClone(old);
    ((next.containers as Obj[])[0]!).args = ['-g', 'daemon off;'];
    assert.equal(
      podSpecDiff(old, next),
      [
        '  core.PodSpec{',
        '  \tVolumes:        nil,',
        '  \tInitContainers: nil,',
        '  \tContainers: []core.Container{',
        '  \t\t{',
        '  \t\t\tName:    "app",',
        '  \t\t\tImage:   "nginx:1.25",',
        '  \t\t\tCommand: nil,',
        '- \t\t\tArgs:    nil,',
        '+ \t\t\tArgs: []string{"-g", "daemon off;"},',
        '  \t\t\tWorkingDir: "",',
        '  \t\t\tPorts:      nil,',
        '  \t\t\t... // 18 identical fields',
        '  \t\t},',
        '  \t},',
        '  \tEphemeralContainers: nil,',
        '  \tRestartPolicy:       "Always",',
        '  \t... // 29 identical fields',
        '  }',
        '',
      ].join('\n'),
    );
  });
});
