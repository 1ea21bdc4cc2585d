/**
 * npm run relay [-- --lan | --host ADDR] [--room NAME] [--port N] [--ws-port N] [--dist DIR] [--build] [--nkey]
 *                  [--secret-file PATH] [--relay-url wss://…] [--verbose]
 * npm run relay -- --secret-file PATH --rotate [--nkey]
 *
 * Runs a show: Debian's nats-server with the project's relay/nats-server.conf (a WebSocket
 * listener and two roles), and the production app (dist/, built first if missing) from a small
 * static server on the same address, so the printed URLs open as they are on any device that can
 * reach this machine. Prints exactly one `performer: <url>` line (the performer view with the
 * room and the relay's address, and the performer's secret in the URL's #fragment, which a
 * browser never sends in a request) and one `audience: <url>` line (no secret) on stdout;
 * everything else goes to stderr. With --nkey the performer signs in with an nkey instead of a
 * password: the server holds only the public key.
 *
 * The secret is fresh for every run unless --secret-file PATH is given: then it is read from PATH
 * (created with a fresh one, mode 600, if missing; refused if group or others may read it), so a
 * restart of this command does not lock the performer out mid-show. `--rotate` (with the same
 * --secret-file) writes a new secret into PATH and tells the running relay (its pid is in
 * PATH.pid), which reloads nats-server with it: the performer's page is signed out and asks for
 * the new secret, audience devices stay connected. SIGHUP to the running relay re-reads PATH (or,
 * without --secret-file, makes a fresh secret and prints the new performer URL).
 *
 * Listens on 127.0.0.1 unless --lan (the machine's LAN address) or --host is given.
 */
import { createReadStream, existsSync, lstatSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { extname, join, normalize, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newNkey, newSecret, nkeyFromSeed, nodeWsFactory, SECRET_PATTERN, startRelayServer, writePrivateFile } from '../relay/nats.ts';
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
  /** Read the performer's secret (password or nkey seed) from this file; create it if missing. */
  secretFile?: string;
  /** Write a new secret into secretFile and have the running relay reload with it. */
  rotate: boolean;
  /** The relay's address as devices reach it (a TLS proxy's wss://…), if not the listener's own. */
  relayUrl?: string;
}

/** The first non-internal IPv4 address of this machine (the one other devices on the LAN reach). */
export const lanAddress = (): string => {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  throw new Error('--lan: this machine has no LAN (non-loopback IPv4) address');
};

export const parseRelayArgs = (argv: string[]): RelayArgs => {
  const a: RelayArgs = { host: '127.0.0.1', room: 'show', port: 8080, wsPort: 8090, dist: join(ROOT, 'dist'), build: false, verbose: false, nkey: false, rotate: false };
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
    else if (k === '--secret-file') a.secretFile = resolve(val());
    else if (k === '--rotate') a.rotate = true;
    else if (k === '--relay-url') {
      a.relayUrl = val();
      if (!/^wss?:\/\/[^\s/?#]+\/?$/.test(a.relayUrl)) throw new Error('--relay-url: expected ws://host[:port] or wss://host[:port]');
      a.relayUrl = a.relayUrl.replace(/\/$/, '');
    } else if (k === '--help' || k === '-h') {
      process.stdout.write(
        'npm run relay [-- --lan | --host ADDR] [--room NAME] [--port 8080] [--ws-port 8090] [--dist DIR] [--build] [--nkey] [--secret-file PATH] [--relay-url wss://…] [--verbose]\n' +
          'npm run relay -- --secret-file PATH --rotate [--nkey]\n',
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${k} (try --help)`);
  }
  if (a.rotate && a.secretFile === undefined) throw new Error('--rotate needs --secret-file PATH (the file the running relay reads its secret from)');
  if (lan) a.host = lanAddress();
  return a;
};

// ---------------------------------------------------------------------------------------------
// The performer's secret in a file (--secret-file)

export type SecretKind = 'password' | 'nkey';
export interface PerformerSecret {
  kind: SecretKind;
  /** The password, or the nkey seed (SU…). */
  value: string;
}

const freshSecret = (kind: SecretKind): PerformerSecret => ({ kind, value: kind === 'nkey' ? newNkey().seed : newSecret() });

/** A secret file must be a regular file of this user that nobody else may read or write. */
const checkSecretFileStat = (path: string, st: Stats): void => {
  if (st.isSymbolicLink() || !st.isFile()) throw new Error(`--secret-file ${path}: not a regular file (a symlink or directory is refused)`);
  if ((st.mode & 0o077) !== 0) {
    const mode = (st.mode & 0o777).toString(8).padStart(3, '0');
    throw new Error(`--secret-file ${path}: group or others may read or write it (mode ${mode}); a performer secret must be private: chmod 600 ${path}`);
  }
  if (typeof process.getuid === 'function' && st.uid !== process.getuid()) throw new Error(`--secret-file ${path}: owned by another user (uid ${st.uid})`);
};

/** Parse a secret file's text: an nkey seed with --nkey, else a password. */
export const parseSecret = (path: string, text: string, kind: SecretKind): PerformerSecret => {
  const value = text.trim();
  const seedLike = /^SU[A-Z2-7]{56}$/.test(value);
  if (kind === 'nkey') {
    if (!seedLike) throw new Error(`--secret-file ${path}: --nkey was given, but the file does not hold a user nkey seed (SU…); use another file, or drop --nkey`);
    nkeyFromSeed(value);
  } else {
    if (seedLike) throw new Error(`--secret-file ${path}: the file holds an nkey seed: add --nkey`);
    if (!SECRET_PATTERN.test(value)) throw new Error(`--secret-file ${path}: expected a password of 16 to 256 letters, digits, - and _, starting with a letter`);
  }
  return { kind, value };
};

/**
 * The performer's secret from `path`: read (after checking that only this user may read it), or,
 * if the file does not exist, made fresh and written there with mode 600. `created` says which.
 */
export const readOrCreateSecret = (path: string, kind: SecretKind): PerformerSecret & { created: boolean } => {
  let st: Stats | null = null;
  try {
    st = lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (st === null) {
    const secret = freshSecret(kind);
    // 'wx': never over a file that appeared meanwhile.
    writeFileSync(path, `${secret.value}\n`, { mode: 0o600, flag: 'wx' });
    return { ...secret, created: true };
  }
  checkSecretFileStat(path, st);
  return { ...parseSecret(path, readFileSync(path, 'utf8'), kind), created: false };
};

/** Replace the secret in an existing secret file (mode 600, written whole). */
export const rotateSecretFile = (path: string, kind: SecretKind): PerformerSecret => {
  readOrCreateSecret(path, kind); // the same checks; creates it if it was missing
  const secret = freshSecret(kind);
  writePrivateFile(path, `${secret.value}\n`);
  return secret;
};

/** What a running relay leaves next to its secret file, for --rotate: its pid and its URLs (no secret). */
export interface RelayPidFile {
  pid: number;
  /** The performer URL without its #fragment. */
  performer: string;
  relay: string;
  kind: SecretKind;
}
export const pidFileOf = (secretFile: string): string => `${secretFile}.pid`;

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

/** The Content-Security-Policy in a built index.html's <meta http-equiv>, or '' if there is none. */
export const metaCsp = (html: string): string => {
  const tag = /<meta\b(?:[^>"']|"[^"]*"|'[^']*')*\bhttp-equiv=["']Content-Security-Policy["'](?:[^>"']|"[^"]*"|'[^']*')*>/i.exec(html)?.[0];
  if (!tag) return '';
  const m = /\bcontent=(?:"([^"]*)"|'([^']*)')/i.exec(tag);
  return m?.[1] ?? m?.[2] ?? '';
};

/**
 * The policy the static server sends as a header: the page's own (from its meta tag), with
 * connect-src narrowed to this show's relay, and frame-ancestors 'none' (which only works as a
 * header: no site may frame the show, so none can dress the performer's page up to click on).
 * ws://127.0.0.1:* and http://127.0.0.1:* stay allowed for a control bridge on the performer's own
 * machine (MIDI, OSC), which the controllers work adds; a device reaches nothing else.
 */
export const headerCsp = (meta: string, relayUrls: readonly string[]): string => {
  const connect = ["connect-src 'self'", ...relayUrls, 'ws://127.0.0.1:*', 'http://127.0.0.1:*', 'blob:', 'data:'].join(' ');
  const directives = meta
    .split(';')
    .map((d) => d.trim())
    .filter((d) => d !== '' && !/^(connect-src|frame-ancestors)\b/i.test(d));
  return [...directives, connect, "frame-ancestors 'none'"].join('; ');
};

export interface StaticOptions {
  /** The relay addresses the page may connect to (connect-src), e.g. ws://127.0.0.1:8090. */
  relayUrls?: readonly string[];
}

/**
 * Serve a built app: files under `dir`, index.html for `/` and for paths that are not files;
 * GET and HEAD only. Refused: anything outside dir, a symlink anywhere on the path under dir
 * (403: a link could point anywhere on this machine), and dotfiles and dot-directories (404:
 * .env, .git, editors' swap files). Every response carries the page's Content-Security-Policy
 * as a header too, narrowed to the relay (see headerCsp).
 */
export const serveStatic = (dir: string, host: string, port: number, options: StaticOptions = {}): Promise<Server> =>
  new Promise((resolveServer, reject) => {
    const root = realpathSync(resolve(dir));
    let cspCache: { mtimeMs: number; value: string } | null = null;
    const csp = () => {
      const index = join(root, 'index.html');
      let mtimeMs = -1;
      try {
        mtimeMs = statSync(index).mtimeMs;
      } catch {
        // no index.html: the policy without the page's own directives
      }
      if (cspCache?.mtimeMs !== mtimeMs) cspCache = { mtimeMs, value: headerCsp(mtimeMs < 0 ? '' : metaCsp(readFileSync(index, 'utf8')), options.relayUrls ?? []) };
      return cspCache.value;
    };
    /** The file under root for a URL path: 'ok' with its path, 'missing', or why it is refused. */
    const lookUp = (file: string): { kind: 'file'; path: string } | { kind: 'missing' } | { kind: 'refused'; status: 403 | 404 } => {
      const parts = relative(root, file).split(sep).filter(Boolean);
      if (parts.some((p) => p.startsWith('.'))) return { kind: 'refused', status: 404 };
      let at = root;
      for (const part of parts) {
        at = join(at, part);
        let st: Stats;
        try {
          st = lstatSync(at);
        } catch {
          return { kind: 'missing' };
        }
        if (st.isSymbolicLink()) return { kind: 'refused', status: 403 };
        if (at !== file && !st.isDirectory()) return { kind: 'missing' };
      }
      if (parts.length === 0 || lstatSync(file).isDirectory()) return { kind: 'missing' };
      return { kind: 'file', path: file };
    };
    const server = createServer((req, res) => {
      const headers = {
        'x-content-type-options': 'nosniff',
        // The performer's secret is only ever in a #fragment (never sent), but send nothing on anyway.
        'referrer-policy': 'no-referrer',
        'content-security-policy': csp(),
        'x-frame-options': 'DENY',
      };
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { ...headers, allow: 'GET, HEAD' }).end();
        return;
      }
      let path: string;
      try {
        path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      } catch {
        res.writeHead(400, headers).end();
        return;
      }
      const wanted = normalize(join(root, path));
      if (wanted !== root && !wanted.startsWith(root + sep)) {
        res.writeHead(403, headers).end();
        return;
      }
      let found = lookUp(wanted);
      if (found.kind === 'refused') {
        res.writeHead(found.status, headers).end(found.status === 403 ? 'forbidden' : 'not found');
        return;
      }
      if (found.kind === 'missing') found = lookUp(join(root, 'index.html'));
      if (found.kind !== 'file') {
        res.writeHead(found.kind === 'refused' ? found.status : 404, headers).end('not found');
        return;
      }
      const file = found.path;
      const immutable = file.includes(`${sep}assets${sep}`);
      res.writeHead(200, {
        ...headers,
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      if (req.method === 'HEAD') res.end();
      // A file that cannot be read (or went away since it was checked) ends this answer, not the show.
      else createReadStream(file).on('error', () => res.destroy()).pipe(res);
    });
    server.once('error', reject);
    server.listen(port, host, () => resolveServer(server));
  });

/** `port` if it is free on host now, else -1. */
const portFree = async (host: string, port: number): Promise<number> =>
  new Promise((r) => {
    const s = createServer();
    s.once('error', () => r(-1));
    s.listen(port, host, () => s.close(() => r(port)));
  });

const withHost = (host: string) => (host.includes(':') ? `[${host}]` : host);

/**
 * The two URLs a show prints. The performer's secret is in the #fragment: a browser never sends a
 * fragment in a request, so it is in no request line, server log or proxy log; the page reads it
 * once, keeps it in the tab's sessionStorage and takes it out of the address bar.
 */
export const showUrls = (httpBase: string, room: string, wsUrl: string, credential: { pass: string } | { nkey: string }) => {
  const performer = new URLSearchParams({ view: 'performer', room, relay: wsUrl });
  const audience = new URLSearchParams({ view: 'audience', room, relay: wsUrl });
  const fragment = new URLSearchParams(credential);
  return { performer: `${httpBase}/?${performer.toString()}#${fragment.toString()}`, audience: `${httpBase}/?${audience.toString()}` };
};

const credentialOf = (secret: PerformerSecret): { pass: string } | { nkey: string } => (secret.kind === 'nkey' ? { nkey: secret.value } : { pass: secret.value });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Does the relay at `url` take this credential now? (--rotate checks the running relay with it.) */
const signsIn = async (url: string, secret: PerformerSecret): Promise<boolean> => {
  const { nkeyAuthenticator, wsconnect } = await import('@nats-io/nats-core');
  try {
    const nc = await wsconnect({
      servers: url,
      wsFactory: nodeWsFactory,
      maxReconnectAttempts: 0,
      timeout: 2000,
      ...(secret.kind === 'nkey' ? { authenticator: nkeyAuthenticator(new TextEncoder().encode(secret.value)) } : { user: 'performer', pass: secret.value }),
    });
    await nc.close();
    return true;
  } catch {
    return false;
  }
};

/** `--rotate`: a new secret into the file, then the running relay reloads with it. Exit code. */
const rotate = async (args: RelayArgs & { secretFile: string }): Promise<number> => {
  const info = (s: string) => process.stderr.write(`${s}\n`);
  const kind: SecretKind = args.nkey ? 'nkey' : 'password';
  let running: RelayPidFile | null = null;
  try {
    running = JSON.parse(readFileSync(pidFileOf(args.secretFile), 'utf8')) as RelayPidFile;
    process.kill(running.pid, 0);
    // A pid file left by a relay that was killed: its pid may be another program's by now.
    if (existsSync(`/proc/${running.pid}/cmdline`) && !readFileSync(`/proc/${running.pid}/cmdline`, 'utf8').includes('relay.ts')) running = null;
  } catch {
    running = null;
  }
  if (running && running.kind !== kind) {
    info(`relay --rotate: the running relay (pid ${running.pid}) signs the performer in with ${running.kind === 'nkey' ? 'an nkey (add --nkey)' : 'a password (drop --nkey)'}`);
    return 2;
  }
  const secret = rotateSecretFile(args.secretFile, kind);
  if (!running) {
    info(`relay --rotate: wrote a new secret into ${args.secretFile}; no relay is running for it (no live pid in ${pidFileOf(args.secretFile)}): the next npm run relay -- --secret-file ${args.secretFile} uses it`);
    return 0;
  }
  process.kill(running.pid, 'SIGHUP');
  for (let t0 = Date.now(); Date.now() - t0 < 10_000; ) {
    if (await signsIn(running.relay, secret)) {
      info(`relay --rotate: the relay (pid ${running.pid}) took the new secret; the old one is refused. The performer's page asks for the new one (or open the URL below); audience devices stay connected.`);
      process.stdout.write(`performer: ${running.performer}#${new URLSearchParams(credentialOf(secret)).toString()}\n`);
      return 0;
    }
    await sleep(200);
  }
  info(`relay --rotate: the relay (pid ${running.pid}) did not take the new secret within 10 s; see its output`);
  return 1;
};

/** --rotate: its exit code (2 when it could not even try). */
const rotateOrFail = async (args: RelayArgs, info: (s: string) => void): Promise<number> => {
  try {
    return await rotate(args as RelayArgs & { secretFile: string });
  } catch (e) {
    info(`relay --rotate: ${(e as Error).message}`);
    return 2;
  }
};

/** The secret: from --secret-file (checked before anything starts), else fresh for this run. */
const secretOrExit = (args: RelayArgs, kind: SecretKind, info: (s: string) => void): PerformerSecret => {
  try {
    if (args.secretFile === undefined) return freshSecret(kind);
    const read = readOrCreateSecret(args.secretFile, kind);
    info(read.created ? `relay: wrote a fresh performer secret into ${args.secretFile} (mode 600); later runs reuse it` : `relay: the performer's secret is from ${args.secretFile}`);
    return read;
  } catch (e) {
    info(`relay: ${(e as Error).message}`);
    process.exit(2);
  }
};

/** Build the app when asked to, or when there is no build yet. */
const ensureBuilt = async (args: RelayArgs, info: (s: string) => void) => {
  if (!args.build && existsSync(join(args.dist, 'index.html'))) return;
  info(`relay: building the app into ${args.dist} …`);
  const { build } = await import('vite');
  await build({ root: ROOT, logLevel: 'warn', build: { outDir: args.dist, emptyOutDir: true } });
};

/**
 * The port asked for when it is free, else 0. Port 0: the server picks a free one itself when it
 * listens (no window for another program to take a port found free a moment before).
 */
const portOrAny = async (host: string, wanted: number, info: (s: string) => void): Promise<number> => {
  const port = wanted === 0 ? 0 : await portFree(host, wanted);
  if (port >= 0) return port;
  info(`relay: port ${wanted} is taken; using a free one`);
  return 0;
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
  const kind: SecretKind = args.nkey ? 'nkey' : 'password';
  if (args.rotate) process.exit(await rotateOrFail(args, info));
  let performerSecret = secretOrExit(args, kind, info);
  await ensureBuilt(args, info);
  // The server's credentials: the performer's (password or nkey), and a fresh throwaway for the
  // other kind (nobody has it). Made or read after the build: they cannot end up in the bundle.
  const serverCredentials = (s: PerformerSecret) => ({ secret: s.kind === 'password' ? s.value : newSecret(), nkey: s.kind === 'nkey' ? nkeyFromSeed(s.value) : newNkey() });
  let { secret, nkey } = serverCredentials(performerSecret);
  let port = await portOrAny(args.host, args.port, info);
  let wsPort = await portOrAny(args.host, args.wsPort, info);
  let relay: RelayServer = await startRelayServer({ room: args.room, host: args.host, wsPort, secret, nkey, echo: args.verbose });
  // A restart of nats-server takes the same port again.
  wsPort = relay.wsPort;
  const relayUrl = args.relayUrl ?? relay.wsUrl;
  const http = await serveStatic(args.dist, args.host, port, { relayUrls: [...new Set([relay.wsUrl, relayUrl])] });
  port = (http.address() as AddressInfo).port;
  const httpBase = `http://${withHost(args.host)}:${port}`;
  const urls = showUrls(httpBase, args.room, relayUrl, credentialOf(performerSecret));
  info(`relay: nats-server (pid ${relay.pid()}) on ${relay.wsUrl}, the app from ${args.dist} on ${httpBase}; room '${args.room}'. Ctrl-C stops both.`);
  let stopping = false;
  // SIGHUP: a new performer secret (from --secret-file, which --rotate has just rewritten, or
  // fresh), and nats-server reloads with it. Audience devices stay connected.
  let rotating = Promise.resolve();
  process.on('SIGHUP', () => {
    rotating = rotating.then(async () => {
      try {
        const next = args.secretFile !== undefined ? readOrCreateSecret(args.secretFile, kind) : freshSecret(kind);
        if (next.value === performerSecret.value) {
          info('relay: SIGHUP, but the secret file holds the same secret: nothing to rotate');
          return;
        }
        const credentials = serverCredentials(next);
        await relay.rotate(credentials);
        ({ secret, nkey } = credentials);
        performerSecret = next;
        info(`relay: rotated the performer's secret${args.secretFile !== undefined ? ` (from ${args.secretFile})` : ''}; the old one is refused, audience devices stay connected`);
        if (args.secretFile === undefined) process.stdout.write(`performer: ${showUrls(httpBase, args.room, relayUrl, credentialOf(next)).performer}\n`);
      } catch (e) {
        info(`relay: could not rotate the secret: ${(e as Error).message}; the old one still holds`);
      }
    });
  });
  // The pid file first: once the URLs are out, --rotate can find this relay.
  const pidFile = args.secretFile === undefined ? null : pidFileOf(args.secretFile);
  if (pidFile) {
    const record: RelayPidFile = { pid: process.pid, performer: urls.performer.slice(0, urls.performer.indexOf('#')), relay: relay.wsUrl, kind };
    writePrivateFile(pidFile, `${JSON.stringify(record)}\n`);
  }
  process.stdout.write(`performer: ${urls.performer}\n`);
  process.stdout.write(`audience: ${urls.audience}\n`);

  // Keep the relay up: if nats-server dies, start it again (devices reconnect by themselves).
  void (async () => {
    for (;;) {
      const code = await relay.exited();
      if (stopping) return;
      info(`relay: nats-server exited (${String(code)}); starting it again`);
      await sleep(500);
      try {
        await relay.stop();
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
    if (pidFile) rmSync(pidFile, { force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
};

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) void main();
