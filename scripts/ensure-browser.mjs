// Browser tests need a real Chromium. Never skip them silently: install Debian's chromium where
// we can (root with apt-get), otherwise stop with one line that says how.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(path)) process.exit(0);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
if (isRoot && hasApt) {
  console.log(`no Chromium at ${path}: installing Debian's chromium with apt-get…`);
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' });
  if (existsSync(path)) process.exit(0);
}
console.error(`browser tests need Chromium at ${path}: run 'sudo apt-get install -y chromium' (or set CHROMIUM_PATH to a Chromium binary)`);
process.exit(1);
