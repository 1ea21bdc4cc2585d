/**
 * Node side of the relay: start Debian's nats-server with the project's configuration
 * (relay/nats-server.conf), stop and restart it, read its CPU and memory from /proc, and give
 * nats-core a WebSocket in Node (20 has none built in). Used by `npm run relay`,
 * `npm run loadtest` and the tests; every listener it opens in tests is on 127.0.0.1.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import type { WsSocketFactory } from '@nats-io/nats-core';
import { createUser, fromSeed } from '@nats-io/nkeys';
import { subjects } from '../src/sync/protocol.ts';

export const CONFIG = fileURLToPath(new URL('./nats-server.conf', import.meta.url));

/** nats-server: $NATS_SERVER, else on PATH, else Debian's /usr/sbin/nats-server. */
export const natsServerPath = (): string => {
  if (process.env.NATS_SERVER) return process.env.NATS_SERVER;
  const which = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' });
  const found = which.stdout.trim();
  if (which.status === 0 && found) return found;
  for (const p of ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server']) if (existsSync(p)) return p;
  throw new Error("no nats-server: install Debian's package (apt-get install nats-server; .ci/run does) or set NATS_SERVER");
};

/** A port that was free a moment ago on this host. */
export const freePort = (host = '127.0.0.1'): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.once('error', reject);
    s.listen(0, host, () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });

/**
 * A fresh performer secret: 24 random bytes, URL-safe. nats-server parses a `$VAR` from the
 * environment as a config value, so it must read as a string: it starts with a letter (a secret
 * starting with a digit or '-' would be taken for a number and the server would not start).
 */
export const newSecret = (): string => `s${randomBytes(24).toString('base64url')}`;

/** A fresh performer nkey: the seed (private, for the performer's URL) and the public key (for the server). */
export const newNkey = (): { seed: string; publicKey: string } => {
  const kp = createUser();
  return { seed: new TextDecoder().decode(kp.getSeed()), publicKey: kp.getPublicKey() };
};

/** The performer's nkey from its seed (SU…), e.g. read from --secret-file; throws on anything else. */
export const nkeyFromSeed = (seed: string): { seed: string; publicKey: string } => {
  if (!/^SU[A-Z2-7]{56}$/.test(seed)) throw new Error('not a user nkey seed (SU followed by 56 letters A-Z and digits 2-7)');
  return { seed, publicKey: fromSeed(new TextEncoder().encode(seed)).getPublicKey() };
};

/** What a performer password may be: it is written into the server's configuration as a quoted string. */
export const SECRET_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{15,255}$/;

/** nats-core over the `ws` package: what a browser's WebSocket is, in Node. */
export const nodeWsFactory: WsSocketFactory = async (url) => ({
  socket: new WebSocket(url, { perMessageDeflate: false }) as unknown as globalThis.WebSocket,
  encrypted: url.startsWith('wss:'),
});

export interface ProcStats {
  /** CPU time used so far (user + system), seconds. */
  cpuSeconds: number;
  /** Resident memory now and at its peak, MB. */
  rssMB: number;
  peakRssMB: number;
  threads: number;
}

const CLK_TCK = (() => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(r.stdout.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

/** CPU and memory of a process from /proc/<pid>/stat and /proc/<pid>/status (Linux). */
export const procStats = (pid: number): ProcStats | null => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which is in parentheses and may hold spaces).
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return { cpuSeconds: (utime + stime) / CLK_TCK, rssMB: kb('VmRSS') / 1024, peakRssMB: kb('VmHWM') / 1024, threads: kb('Threads') };
  } catch {
    return null;
  }
};

/** The whole machine's CPU time so far, from /proc/stat: busy and total, in seconds of one core. */
export const machineCpu = (): { busy: number; total: number } | null => {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    return { busy: (total - idle) / CLK_TCK, total: total / CLK_TCK };
  } catch {
    return null;
  }
};

export interface RelayServerOptions {
  room: string;
  /** Address of the WebSocket listener: 127.0.0.1 unless the show runs on a LAN (--lan). */
  host?: string;
  /** 0 (default): a free port, picked by nats-server. */
  wsPort?: number;
  secret?: string;
  /** The performer's nkey (public key for the server, seed for the performer); fresh if not given. */
  nkey?: { seed: string; publicKey: string };
  /** Print the server's log lines (for `npm run relay`). */
  echo?: boolean;
}

export interface RelayServer {
  readonly room: string;
  readonly host: string;
  readonly wsPort: number;
  readonly wsUrl: string;
  /** The performer's password and nkey now (rotate() changes them). */
  readonly secret: string;
  readonly nkey: { seed: string; publicKey: string };
  /**
   * Replace the performer's credential on the running server: rewrite the private performer.conf
   * and reload (SIGHUP). Connections made with the old one are closed by the server; audience
   * devices stay connected. Resolves once the server says it reloaded.
   */
  rotate(credential: { secret?: string; nkey?: { seed: string; publicKey: string } }): Promise<void>;
  readonly subjects: { state: string; clock: string };
  /** The running server's process id (changes on restart). */
  pid(): number;
  /** The server's log so far. */
  log(): string;
  stop(): Promise<void>;
  /** Stop it (SIGTERM, or SIGKILL with crash) and start it again on the same port. */
  restart(options?: { crash?: boolean; downMs?: number }): Promise<void>;
  /** Resolves when the current process exits. */
  exited(): Promise<number | null>;
}

/** Every nats-server this process started and has not seen exit: none outlives it. */
const live = new Set<ChildProcess>();
/** The private directories holding a running server's configuration and credential. */
const privateDirs = new Set<string>();
let exitHook = false;
const killOnExit = () => {
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const p of live) p.kill('SIGKILL');
    for (const d of privateDirs) rmSync(d, { recursive: true, force: true });
  });
};

/** Write a file readable by this user only, whole or not at all (write a temporary, then rename). */
export const writePrivateFile = (path: string, text: string): void => {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
};

/** performer.conf: the two config variables relay/nats-server.conf's authorization reads. */
const performerConf = (secret: string, nkeyPublic: string) =>
  `# Written by relay/nats.ts for one run of nats-server; replaced on --rotate. Secret: mode 600.\nDREAMSCAPE_PERFORMER_SECRET: "${secret}"\nDREAMSCAPE_PERFORMER_NKEY: "${nkeyPublic}"\n`;

const waitExit = (p: ChildProcess, ms: number): Promise<void> =>
  new Promise((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve();
    const t = setTimeout(() => {
      p.kill('SIGKILL');
    }, ms);
    p.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
  });

/**
 * Spawn nats-server with the config and wait until it says it is ready (10 s at most): resolves
 * with the WebSocket port it says it listens on. Its output is added to `log`.
 */
const spawnNatsServer = (bin: string, config: string, env: NodeJS.ProcessEnv, log: { text: string }, echo: boolean, onSpawn: (p: ChildProcess, exited: Promise<number | null>) => void): Promise<number | null> =>
  new Promise((resolve, reject) => {
    const p = spawn(bin, ['-c', config], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(p);
    killOnExit();
    onSpawn(
      p,
      new Promise((r) =>
        p.once('exit', (code) => {
          live.delete(p);
          r(code);
        }),
      ),
    );
    let ready = false;
    const logFrom = log.text.length;
    const onData = (b: Buffer) => {
      const text = b.toString('utf8');
      log.text += text;
      if (echo) process.stderr.write(text);
      // This launch's log only: after a restart the earlier run's "ready" is in the log too.
      if (!ready && /Server is ready/.test(log.text.slice(logFrom))) {
        ready = true;
        const m = /Listening for websocket clients on wss?:\/\/\S*:(\d+)/.exec(log.text.slice(logFrom));
        resolve(m ? Number(m[1]) : null);
      }
    };
    p.stdout?.on('data', onData);
    p.stderr?.on('data', onData);
    p.once('error', reject);
    p.once('exit', (code) => {
      if (!ready) reject(new Error(`nats-server exited (${String(code)}) before it was ready:\n${log.text}`));
    });
    setTimeout(() => {
      if (!ready) {
        p.kill('SIGKILL');
        reject(new Error(`nats-server not ready within 10 s:\n${log.text}`));
      }
    }, 10_000).unref();
  });

type PerformerCredential = { secret: string; nkey: { seed: string; publicKey: string } };

/**
 * Write the performer's credential and have the running server reload it (SIGHUP); resolves once
 * it says it reloaded. Otherwise the previous credential is written back and this throws.
 */
const reloadWith = async (proc: ChildProcess, file: string, log: { text: string }, next: PerformerCredential, previous: PerformerCredential): Promise<void> => {
  writePrivateFile(file, performerConf(next.secret, next.nkey.publicKey));
  const from = log.text.length;
  proc.kill('SIGHUP');
  const t0 = Date.now();
  const undo = (why: string): never => {
    writePrivateFile(file, performerConf(previous.secret, previous.nkey.publicKey));
    throw new Error(why);
  };
  for (;;) {
    const since = log.text.slice(from);
    if (/Reloaded server configuration/.test(since)) return;
    const failed = /\[ERR\][^\n]*(reload|Failed)[^\n]*/i.exec(since);
    if (failed) undo(`nats-server did not reload: ${failed[0]}`);
    if (Date.now() - t0 > 5000) undo(`nats-server did not say it reloaded within 5 s:\n${since}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** Start nats-server with relay/nats-server.conf and wait until it listens. */
export const startRelayServer = async (options: RelayServerOptions): Promise<RelayServer> => {
  const bin = natsServerPath();
  const host = options.host ?? '127.0.0.1';
  // 0: nats-server picks a free port itself (no race with another test picking the same one), and
  // a restart takes the same port again.
  let wsPort = options.wsPort ?? 0;
  let secret = options.secret ?? newSecret();
  const checkSecret = (s: string) => {
    if (!SECRET_PATTERN.test(s)) throw new Error('a performer secret must start with a letter and hold 16 to 256 letters, digits, - and _');
  };
  checkSecret(secret);
  let nkey = options.nkey ?? newNkey();
  const subs = subjects(options.room);
  // The configuration and the credential live in a directory only this user can read; the
  // credential never goes through the environment (other users' `ps e` cannot see it, and a
  // reload re-reads the file).
  const dir = mkdtempSync(join(tmpdir(), 'dreamscape-relay-'));
  const config = join(dir, 'nats-server.conf');
  /** Write the private folder's files (again after a stop removed them: a stopped server may be restarted). */
  const writeConfig = () => {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    privateDirs.add(dir);
    writeFileSync(config, readFileSync(CONFIG, 'utf8'), { mode: 0o600 });
    writePrivateFile(join(dir, 'performer.conf'), performerConf(secret, nkey.publicKey));
  };
  writeConfig();
  killOnExit();
  const log = { text: '' };
  let proc: ChildProcess;
  let exitedP: Promise<number | null>;
  const launch = async () => {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', DREAMSCAPE_HOST: host, DREAMSCAPE_WS_PORT: String(wsPort || -1), DREAMSCAPE_STATE_SUBJECT: subs.state, DREAMSCAPE_CLOCK_SUBJECT: subs.clock };
    const port = await spawnNatsServer(bin, config, env, log, options.echo === true, (p, exited) => {
      proc = p;
      exitedP = exited;
    });
    if (port !== null) wsPort = port;
  };

  /** A restarted server can find its port still held for a moment: try a few times. */
  const launchRetrying = async () => {
    for (let i = 0; ; i++) {
      try {
        await launch();
        return;
      } catch (e) {
        if (i >= 20 || !/address already in use/i.test(String(e))) throw e;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };

  const cleanUp = () => {
    rmSync(dir, { recursive: true, force: true });
    privateDirs.delete(dir);
  };
  try {
    await launchRetrying();
  } catch (e) {
    cleanUp();
    throw e;
  }
  if (!wsPort) throw new Error(`nats-server did not say its WebSocket port:\n${log.text}`);
  const stopNow = async (signal: NodeJS.Signals) => {
    proc.kill(signal);
    await waitExit(proc, 5000);
  };
  return {
    room: options.room,
    host,
    wsPort,
    wsUrl: `ws://${host.includes(':') ? `[${host}]` : host}:${wsPort}`,
    get secret() {
      return secret;
    },
    get nkey() {
      return nkey;
    },
    rotate: async (credential) => {
      const nextSecret = credential.secret ?? secret;
      checkSecret(nextSecret);
      const nextNkey = credential.nkey ?? nkey;
      await reloadWith(proc, join(dir, 'performer.conf'), log, { secret: nextSecret, nkey: nextNkey }, { secret, nkey });
      secret = nextSecret;
      nkey = nextNkey;
    },
    subjects: subs,
    pid: () => proc.pid ?? -1,
    log: () => log.text,
    stop: async () => {
      await stopNow('SIGTERM');
      cleanUp();
    },
    restart: async ({ crash = false, downMs = 0 } = {}) => {
      await stopNow(crash ? 'SIGKILL' : 'SIGTERM');
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      if (!existsSync(config)) writeConfig();
      await launchRetrying();
    },
    exited: () => exitedP,
  };
};
