// For tests: a container runtime the test scripts. A container runs until the test ends it with
// an exit code (or the agent stops it), unless its command says how it ends: `… exit N` exits
// with N, `true` with 0, at once. Containers are known as `<pod>/<container>` (the latest run).
import type { Duplex } from 'node:stream';
import type { ExecStreams } from '../api/node-streams.js';
import type { ContainerHandle, ContainerRun, Exit, Runtime } from '../node/runtime/runtime.js';

interface Live {
  end(e: Exit): void;
  ended: boolean;
  /** The grace period the agent stopped it with (ms). */
  stoppedWith?: number;
}

/** The exit code a container's command ends with (`sh -c "… exit 3"`, `true`); undefined: it runs on. */
function scriptedExit(container: ContainerRun['container']): number | undefined {
  const words = [...(Array.isArray(container.command) ? container.command : []), ...(Array.isArray(container.args) ? container.args : [])].join(' ');
  const m = /\bexit\s+(\d+)\s*;?\s*$/.exec(words);
  if (m) return Number(m[1]);
  return /(^|\s)true\s*$/.test(words) ? 0 : undefined;
}

const exitOf = (exitCode: number): Exit => ({ exitCode, reason: exitCode ? 'Error' : 'Completed' });

export class ScriptedRuntime implements Runtime {
  readonly name = 'simulated' as const;
  readonly runs: ContainerRun[] = [];
  readonly live = new Map<string, Live>();

  async start(run: ContainerRun): Promise<ContainerHandle> {
    this.runs.push(run);
    let resolve!: (e: Exit) => void;
    const exited = new Promise<Exit>((r) => (resolve = r));
    const live: Live = {
      ended: false,
      end(e) {
        live.ended = true;
        resolve(e);
      },
    };
    this.live.set(`${run.pod.metadata.name}/${run.container.name}`, live);
    const code = scriptedExit(run.container);
    if (code !== undefined) setTimeout(() => live.end(exitOf(code)), 0);
    return {
      exited,
      stop: async (graceMs) => {
        live.stoppedWith = graceMs;
        live.end({ exitCode: 137, reason: 'Error' });
        return exited;
      },
    };
  }

  async exec(_h: ContainerHandle, _r: ContainerRun, command: string[], streams: ExecStreams): Promise<number> {
    streams.stdout?.write(command.join(' '));
    return 0;
  }

  async attach(_h: ContainerHandle, r: ContainerRun, streams: ExecStreams): Promise<void> {
    streams.stdout?.write(`attached to ${r.container.name}`);
  }

  /** Echoes what comes in. */
  async portForward(_sandboxId: string, _port: number, stream: Duplex): Promise<void> {
    stream.pipe(stream);
    await new Promise((resolve) => stream.once('end', resolve));
  }

  /** Ends a running container (`<pod>/<container>`) with an exit code. */
  exit(key: string, exitCode: number): void {
    this.live.get(key)!.end(exitOf(exitCode));
  }

  /** The containers running now, as `<pod>/<container>`. */
  running(): string[] {
    return [...this.live].filter(([, l]) => !l.ended).map(([k]) => k);
  }
}
