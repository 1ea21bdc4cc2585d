/**
 * npm run relay [-- --lan | --host ADDR] [--room NAME] [--port N] [--ws-port N] [--dist DIR] [--build] [--nkey] [--verbose]
 *
 * Runs a show: Debian's nats-server with the project's relay/nats-server.conf (a WebSocket
 * listener and two roles), and the production app (dist/, built first if missing) from a small
 * static server on the same address, so the printed URLs open as they are on any device that can
 * reach this machine. Prints exactly one `performer: <url>` line (the performer view with the
 * room, the relay's address and this run's fresh performer secret) and one `audience: <url>`
 * line (no secret) on stdout; everything else goes to stderr. With --nkey the performer signs in
 * with a fresh nkey instead of a password: the server holds only the public key.
 *
 * Listens on 127.0.0.1 unless --lan (the machine's LAN address) or --host is given.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { networkInterfaces } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, newNkey, newSecret, startRelayServer } from '../relay/nats.ts';
import type { RelayServer } from '../relay/nats.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface RelayArgs {
  host: string;
  room: string;
  port: number;
  wsPort: number;
  dist: string;
  build: boolean;
  verbose: boolean;
  /** Give the performer an nkey seed instead of a password. */
  nkey: boolean;
}

/** The first non-internal IPv4 address of this machine (the one other devices on the LAN reach). */
export const lanAddress = (): string => {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  throw new Error('--lan: this machine has no LAN (non-loopback IPv4) address');
};

export const parseRelayArgs = (argv: string[]): RelayArgs => {
  const a: RelayArgs = { host: '127.0.0.1', room: 'show', port: 8080, wsPort: 8090, dist: join(ROOT, 'dist'), build: false, verbose: false, nkey: false };
  let lan = false;
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${k} needs a value`);
      return v;
    };
    const port = () => {
      const n = Number(val());
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${k}: expected a port 0..65535 (0: any free port)`);
      return n;
    };
    if (k === '--lan') lan = true;
    else if (k === '--host') a.host = val();
    else if (k === '--room') {
      a.room = val();
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(a.room)) throw new Error('--room: expected 1 to 64 letters, digits, - or _');
    } else if (k === '--port') a.port = port();
    else if (k === '--ws-port') a.wsPort = port();
    else if (k === '--dist') a.dist = resolve(val());
    else if (k === '--build') a.build = true;
    else if (k === '--verbose') a.verbose = true;
    else if (k === '--nkey') a.nkey = true;
    else if (k === '--help' || k === '-h') {
      process.stdout.write('npm run relay [-- --lan | --host ADDR] [--room NAME] [--port 8080] [--ws-port 8090] [--dist DIR] [--build] [--nkey] [--verbose]\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${k} (try --help)`);
  }
  if (lan) a.host = lanAddress();
  return a;
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.txt': 'text/plain; charset=utf-8',
};

/** Serve a built app: files under `dir`, index.html for `/`; GET and HEAD only, nothing outside dir. */
export const serveStatic = (dir: string, host: string, port: number): Promise<Server> =>
  new Promise((resolveServer, reject) => {
    const root = resolve(dir);
    const server = createServer((req, res) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      let path: string;
      try {
        path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      } catch {
        res.writeHead(400).end();
        return;
      }
      let file = normalize(join(root, path));
      if (file !== root && !file.startsWith(root + sep)) {
        res.writeHead(403).end();
        return;
      }
      if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
      if (!existsSync(file)) {
        res.writeHead(404).end('not found');
        return;
      }
      const immutable = file.includes(`${sep}assets${sep}`);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        'x-content-type-options': 'nosniff',
        // The performer's secret is in its URL: never send it on to another site.
        'referrer-policy': 'no-referrer',
      });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
    });
    server.once('error', reject);
    server.listen(port, host, () => resolveServer(server));
  });

const portFree = async (host: string, port: number): Promise<number> => {
  if (port === 0) return freePort(host);
  return new Promise((r) => {
    const s = createServer();
    s.once('error', () => r(-1));
    s.listen(port, host, () => s.close(() => r(port)));
  });
};

const withHost = (host: string) => (host.includes(':') ? `[${host}]` : host);

export const showUrls = (httpBase: string, room: string, wsUrl: string, credential: { pass: string } | { nkey: string }) => {
  const performer = new URLSearchParams({ view: 'performer', room, relay: wsUrl, ...credential });
  const audience = new URLSearchParams({ view: 'audience', room, relay: wsUrl });
  return { performer: `${httpBase}/?${performer.toString()}`, audience: `${httpBase}/?${audience.toString()}` };
};

const main = async () => {
  let args: RelayArgs;
  try {
    args = parseRelayArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`relay: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const info = (s: string) => process.stderr.write(`${s}\n`);
  if (args.build || !existsSync(join(args.dist, 'index.html'))) {
    info(`relay: building the app into ${args.dist} …`);
    const { build } = await import('vite');
    await build({ root: ROOT, logLevel: 'warn', build: { outDir: args.dist, emptyOutDir: true } });
  }
  // The secrets are made after the build: they cannot end up in the bundle.
  const secret = newSecret();
  const nkey = newNkey();
  let port = await portFree(args.host, args.port);
  if (port < 0) {
    info(`relay: port ${args.port} is taken; using a free one`);
    port = await freePort(args.host);
  }
  let wsPort = await portFree(args.host, args.wsPort);
  if (wsPort < 0) {
    info(`relay: port ${args.wsPort} is taken; using a free one`);
    wsPort = await freePort(args.host);
  }
  const http = await serveStatic(args.dist, args.host, port);
  let relay: RelayServer = await startRelayServer({ room: args.room, host: args.host, wsPort, secret, nkey, echo: args.verbose });
  const urls = showUrls(`http://${withHost(args.host)}:${port}`, args.room, relay.wsUrl, args.nkey ? { nkey: nkey.seed } : { pass: secret });
  info(`relay: nats-server (pid ${relay.pid()}) on ${relay.wsUrl}, the app from ${args.dist} on http://${withHost(args.host)}:${port}; room '${args.room}'. Ctrl-C stops both.`);
  process.stdout.write(`performer: ${urls.performer}\n`);
  process.stdout.write(`audience: ${urls.audience}\n`);

  let stopping = false;
  // Keep the relay up: if nats-server dies, start it again (devices reconnect by themselves).
  void (async () => {
    for (;;) {
      const code = await relay.exited();
      if (stopping) return;
      info(`relay: nats-server exited (${String(code)}); starting it again`);
      await new Promise((r) => setTimeout(r, 500));
      try {
        relay = await startRelayServer({ room: args.room, host: args.host, wsPort, secret, nkey, echo: args.verbose });
      } catch (e) {
        info(`relay: could not restart nats-server: ${(e as Error).message}`);
        process.exit(1);
      }
    }
  })();
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    http.close();
    await relay.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
};

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) void main();
