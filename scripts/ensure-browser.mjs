// The browser and relay tests need Debian's Chromium and nats-server. Never skip those tests
// silently: install what is missing where we can (root with apt-get), otherwise stop with one
// line that says how.
import { existsSync } from 'node:fs';
import { execSync, spawnSync } from 'node:child_process';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasNats = () =>
  Boolean(process.env.NATS_SERVER && existsSync(process.env.NATS_SERVER)) ||
  spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' }).status === 0 ||
  existsSync('/usr/sbin/nats-server');

const missing = () => [...(existsSync(chromium) ? [] : ['chromium']), ...(hasNats() ? [] : ['nats-server'])];
let need = missing();
if (need.length === 0) process.exit(0);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (isRoot && existsSync('/usr/bin/apt-get')) {
  console.log(`tests need ${need.join(' and ')}: installing Debian's packages with apt-get…`);
  execSync(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${need.join(' ')}`, { stdio: 'inherit' });
  need = missing();
  if (need.length === 0) process.exit(0);
}
console.error(`the tests need ${need.join(' and ')}: run 'sudo apt-get install -y ${need.join(' ')}' (or set CHROMIUM_PATH / NATS_SERVER)`);
process.exit(1);
