/**
 * Runs the example in local workerd and measures it: `npx tsx examples/worker/measure.ts [requests]`.
 * CPU per request comes from the workerd process's own CPU time (/proc/PID/stat, Linux), memory from its resident
 * set (VmRSS, and the peak VmHWM). The first request builds the embedder (model parse, prepare, arena); the others
 * reuse it, as an isolate does in production.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { buildWorker } from './build.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('../../', import.meta.url));

export interface Running {
  url: string;
  child: ChildProcess;
  stop(): void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Builds the example and starts `workerd serve config.capnp` on a free port of 127.0.0.1. */
export async function startWorker(): Promise<Running> {
  await buildWorker();
  const port = await freePort();
  const child = spawn(`${repo}node_modules/.bin/workerd`, ['serve', 'config.capnp', '--socket-addr', `http=127.0.0.1:${port}`], {
    cwd: here, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d));
  await new Promise<void>((resolve, reject) => {
    let up = false;
    child.on('exit', (code) => up || reject(new Error(`workerd exited (${code}): ${err}`)));
    const attempt = (): void => {
      const s = net.connect(port, '127.0.0.1');
      s.on('connect', () => { s.destroy(); up = true; resolve(); });
      s.on('error', () => { s.destroy(); if (!up) setTimeout(attempt, 100); });
    };
    attempt();
  });
  return { url: `http://127.0.0.1:${port}/`, child, stop: () => child.kill() };
}

/** CPU time (user + system) of a process in milliseconds, from /proc. */
export function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/** Resident and peak resident memory of a process in MB, from /proc. */
export function memoryMb(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)![1]) / 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

export interface Measurement {
  requests: number;
  firstRequestCpuMs: number;
  cpuMsPerRequest: number;
  idleRssMb: number;
  rssMb: number;
  peakRssMb: number;
}

/** Sends `requests` uploads of `image` one after another and measures the workerd process. */
export async function measure(w: Running, image: Uint8Array<ArrayBuffer>, requests: number): Promise<Measurement> {
  const pid = w.child.pid!;
  const post = async (): Promise<void> => {
    const r = await fetch(w.url, { method: 'POST', body: image });
    if (!r.ok) throw new Error(`HTTP ${r.status}: ${await r.text()}`);
    await r.arrayBuffer();
  };
  const idle = memoryMb(pid);
  const c0 = cpuMs(pid);
  await post();
  const c1 = cpuMs(pid);
  for (let i = 1; i < requests; i++) await post();
  const c2 = cpuMs(pid);
  const m = memoryMb(pid);
  return {
    requests, firstRequestCpuMs: c1 - c0, cpuMsPerRequest: (c2 - c1) / Math.max(1, requests - 1),
    idleRssMb: idle.rss, rssMb: m.rss, peakRssMb: m.peak,
  };
}

export function describeMeasurement(m: Measurement, what: string): string {
  return `${what}: ${m.requests} requests; first (builds the embedder) ${m.firstRequestCpuMs.toFixed(0)} ms CPU, then `
    + `${m.cpuMsPerRequest.toFixed(1)} ms CPU per request; workerd resident memory ${m.idleRssMb.toFixed(0)} MB idle, `
    + `${m.rssMb.toFixed(0)} MB after (peak ${m.peakRssMb.toFixed(0)} MB)`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const requests = Number(process.argv[2] ?? 100);
  const w = await startWorker();
  try {
    const image = new Uint8Array(fs.readFileSync(`${repo}fixtures/demo/house.jpg`)) as Uint8Array<ArrayBuffer>;
    console.log(describeMeasurement(await measure(w, image, requests), 'house.jpg (320x240 JPEG), default model'));
  } finally {
    w.stop();
  }
}
