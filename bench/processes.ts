import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './machine';

export type Served = {
  name: string;
  url: string;
  pid: number;
  log: string;
  peakRssMb(): number | null;
  /** CPU time used so far by the process and its workers (user + system), in seconds; null without /proc. */
  cpuSeconds(): number | null;
  stop(): Promise<void>;
};

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** The process and every descendant (cluster workers), read from /proc; empty where there is no /proc. */
function processTree(root: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const parentOf = new Map<number, number>();
  for (const e of entries) {
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      parentOf.set(Number(e), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended while we looked
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i += 1) {
    for (const [pid, ppid] of parentOf) if (ppid === tree[i]) tree.push(pid);
  }
  return tree;
}

/** Peak resident memory (VmHWM) since start, summed over the process and its workers, in MB. */
function peakRssMb(pid: number): number | null {
  let kb = 0;
  for (const p of processTree(pid)) {
    const match = /VmHWM:\s+(\d+) kB/.exec(safeRead(`/proc/${p}/status`));
    if (match) kb += Number(match[1]);
  }
  return kb > 0 ? kb / 1024 : null;
}

// Linux reports CPU times in USER_HZ ticks, 100 per second on every architecture it runs on.
const TICKS_PER_SECOND = 100;

function cpuSeconds(pid: number): number | null {
  let ticks = 0;
  for (const p of processTree(pid)) {
    const stat = safeRead(`/proc/${p}/stat`);
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  }
  return ticks > 0 ? ticks / TICKS_PER_SECOND : null;
}

const safeRead = (file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

async function waitUntilReady(url: string, child: ChildProcess, log: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(url, { headers: { connection: 'close' } })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} did not become ready; see ${log}:\n${safeRead(log).slice(-2000)}`);
}

/** Starts `node args…` with its output in a log file, and waits until `readyPath` answers 2xx. */
export async function serve(name: string, args: string[], env: Record<string, string>, readyPath: string): Promise<Served> {
  const port = await freePort();
  const log = path.join(tmpdir(), `casting-agency-bench-${name.replace(/\W+/g, '-')}-${process.pid}.log`);
  const out = createWriteStream(log);
  await once(out, 'open');
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port) },
    stdio: ['ignore', out, out],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = once(child, 'exit');
  try {
    await waitUntilReady(`${url}${readyPath}`, child, log);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    name,
    url,
    pid: child.pid!,
    log,
    peakRssMb: () => peakRssMb(child.pid!),
    cpuSeconds: () => cpuSeconds(child.pid!),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      out.end();
      rmSync(log, { force: true });
    },
  };
}
