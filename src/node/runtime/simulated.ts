// The simulated runtime (kwok-style): no process runs. A container counts as running from its
// start; containers of pods that are meant to finish (restartPolicy Never or OnFailure, and init
// containers) exit 0 after a short delay so Jobs complete. Volumes and tokens are still real
// files, written by the agent. exec, attach and port-forward have no process to reach.
import type { Duplex } from 'node:stream';
import type { ContainerHandle, ContainerRun, Exit, Runtime } from './runtime.js';
import type { ExecStreams } from '../../api/node-streams.js';

export interface SimulatedRuntimeOptions {
  /** How long a finishing container "runs" before it exits 0 (default 1 s). */
  exitDelayMs?: number;
}

const MESSAGES = {
  exec: 'the simulated runtime runs no processes, so there is nothing to exec into; start the server with `badge server --runtime process` to run commands in containers',
  attach: 'the simulated runtime runs no processes, so there is nothing to attach to; start the server with `badge server --runtime process` to attach to containers',
  portforward: "the simulated runtime runs no processes, so nothing listens on the pod's ports; start the server with `badge server --runtime process` to forward ports to containers",
};

/** What exec, attach and port-forward answer in this runtime. */
export class SimulatedRuntimeError extends Error {
  readonly code = 400;
  constructor(what: keyof typeof MESSAGES) {
    super(MESSAGES[what]);
  }
}

/**
 * Whether a simulated container finishes on its own: init containers do (sidecars, restartPolicy
 * Always, do not), and regular containers of pods that do not restart them.
 */
export function finishes(run: ContainerRun): boolean {
  const spec = run.pod.spec;
  const init = spec?.initContainers?.find((c) => c.name === run.container.name);
  if (init) return init.restartPolicy !== 'Always';
  return (spec?.restartPolicy ?? 'Always') !== 'Always';
}

export class SimulatedRuntime implements Runtime {
  readonly name = 'simulated' as const;
  private readonly exitDelayMs: number;

  constructor(opts: SimulatedRuntimeOptions = {}) {
    this.exitDelayMs = opts.exitDelayMs ?? 1000;
  }

  async start(run: ContainerRun): Promise<ContainerHandle> {
    let finish!: (e: Exit) => void;
    let ended: Exit | undefined;
    const exited = new Promise<Exit>((resolve) => (finish = resolve));
    const end = (e: Exit) => {
      if (ended) return ended;
      ended = e;
      if (timer) clearTimeout(timer);
      finish(e);
      return e;
    };
    let timer: NodeJS.Timeout | undefined;
    if (finishes(run)) {
      timer = setTimeout(() => end({ exitCode: 0, reason: 'Completed' }), this.exitDelayMs);
      timer.unref();
    }
    return {
      exited,
      // Nothing to signal: the container ends at once, as a process handling SIGTERM would.
      stop: async () => end({ exitCode: 0, reason: 'Completed' }),
    };
  }

  async exec(_handle: ContainerHandle, _run: ContainerRun, _command: string[], _streams: ExecStreams): Promise<number> {
    throw new SimulatedRuntimeError('exec');
  }

  async attach(_handle: ContainerHandle, _run: ContainerRun, _streams: ExecStreams): Promise<void> {
    throw new SimulatedRuntimeError('attach');
  }

  async portForward(_sandboxId: string, _port: number, _stream: Duplex): Promise<void> {
    throw new SimulatedRuntimeError('portforward');
  }
}
