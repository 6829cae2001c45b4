import { fork, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/** A part of the hub or the baseline running as its own Node process. */
export interface RunningProcess {
  label: string;
  pid: number;
  /** Resident memory (VmRSS) in KiB, from /proc. */
  rssKiB(): Promise<number>;
  /** Heap in use right after a full collection, KiB (asked of the process through `bench/heap-probe.ts`). */
  heapAfterGcKiB(): Promise<number>;
  stop(): Promise<void>;
}

/** Reads VmRSS of a process from /proc/<pid>/status (Linux). */
export async function residentKiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`No VmRSS for process ${pid}`);
  return Number(match[1]);
}

/**
 * Forks a main file, compiled JavaScript as a deployment runs it (or TypeScript under tsx, as `npm start`
 * forks the subgraphs), and waits for its ready message. The child stops when this process disconnects, so
 * nothing outlives the benchmark.
 */
export async function startProcess(options: {
  label: string;
  script: string;
  args?: string[];
  env: NodeJS.ProcessEnv;
  /** Extra Node flags, e.g. `--cpu-prof`. */
  execArgv?: string[];
  onUnexpectedExit: (label: string, code: number | null) => void;
}): Promise<RunningProcess> {
  const child: ChildProcess = fork(options.script, options.args ?? [], {
    execArgv: [...(options.script.endsWith('.ts') ? ['--import', 'tsx'] : []), ...(options.execArgv ?? [])],
    env: options.env,
  });
  let stopping = false;
  let question = 0;
  const heapAfterGcKiB = () =>
    new Promise<number>((resolve, reject) => {
      const id = ++question;
      const timer = setTimeout(() => {
        child.off('message', answer);
        reject(new Error(`${options.label} did not report its heap (started without bench/heap-probe.ts?)`));
      }, 30_000);
      const answer = (message: { heap?: number; heapUsed?: number }) => {
        if (message?.heap !== id || typeof message.heapUsed !== 'number') return;
        clearTimeout(timer);
        child.off('message', answer);
        resolve(message.heapUsed / 1024);
      };
      child.on('message', answer);
      child.send({ heap: id });
    });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`${options.label} stopped during start-up (exit code ${code})`)));
  });
  child.on('exit', (code) => {
    if (!stopping) options.onUnexpectedExit(options.label, code);
  });
  return {
    label: options.label,
    pid: child.pid!,
    rssKiB: () => residentKiB(child.pid!),
    heapAfterGcKiB,
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
