import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decode, encode } from 'node-osc';

/**
 * The OSC bridge as a performer runs it (scripts/osc.ts through tsx, on free ports of 127.0.0.1),
 * and real UDP sockets to talk to it: shared by tests/scripts/osc.test.ts and
 * tests/browser/osc.test.ts.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface BridgeProcess {
  proc: ChildProcess;
  udpPort: number;
  wsUrl: string;
  performer: string;
  /** Everything the bridge logged (stderr), as it comes. */
  log(): string;
  /** Wait until the log matches. */
  waitLog(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

export const startBridgeProcess = (args: string[]): Promise<BridgeProcess> =>
  new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/osc.ts'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const waiters = new Set<() => void>();
    proc.stderr.on('data', (b: Buffer) => {
      err += b.toString();
      for (const w of [...waiters]) w();
    });
    const timer = setTimeout(() => reject(new Error(`the bridge did not start within 30 s:\n${out}\n${err}`)), 30_000);
    proc.once('exit', (code) => reject(new Error(`the bridge exited (${String(code)}):\n${out}\n${err}`)));
    proc.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const performer = /^performer: (\S+)$/m.exec(out)?.[1];
      const udp = /OSC in on udp [^\s]+:(\d+)/.exec(err)?.[1];
      if (!performer || !udp) return;
      clearTimeout(timer);
      const wsUrl = new URL(performer).searchParams.get('osc')!;
      resolve({
        proc,
        udpPort: Number(udp),
        wsUrl,
        performer,
        log: () => err,
        waitLog: (re, timeoutMs = 10_000) =>
          new Promise((ok, fail) => {
            const check = () => {
              const m = re.exec(err);
              if (!m) return;
              waiters.delete(check);
              clearTimeout(t);
              ok(m);
            };
            const t = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`no ${String(re)} in the bridge's log within ${timeoutMs} ms:\n${err}`));
            }, timeoutMs);
            waiters.add(check);
            check();
          }),
        stop: async () => {
          if (proc.exitCode !== null || proc.signalCode !== null) return;
          const gone = new Promise((r) => proc.once('exit', r));
          proc.kill('SIGTERM');
          await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
          if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
        },
      });
    });
  });

/** A UDP socket on 127.0.0.x (any free port) that collects the OSC messages it receives. */
export const udpSocket = async (host = '127.0.0.1'): Promise<{ socket: Socket; port: number; received: { address: string; args: unknown[]; at: number }[]; close(): Promise<void> }> => {
  const socket = createSocket('udp4');
  const received: { address: string; args: unknown[]; at: number }[] = [];
  socket.on('message', (msg) => {
    const d = decode(msg) as { address: string; args: { value: unknown }[] };
    received.push({ address: d.address, args: d.args.map((a) => a.value), at: performance.now() });
  });
  await new Promise<void>((r) => socket.bind(0, host, () => r()));
  return { socket, port: socket.address().port, received, close: () => new Promise((r) => socket.close(() => r())) };
};

export type Arg = number | string | boolean | { type: string; value: unknown };

/** One OSC message, encoded. */
export const osc = (address: string, ...args: Arg[]): Buffer => encode({ oscType: 'message', address, args });

export const sendUdp = (socket: Socket, port: number, packet: Buffer): Promise<void> =>
  new Promise((ok, fail) => socket.send(packet, port, '127.0.0.1', (e) => (e ? fail(e) : ok())));

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
