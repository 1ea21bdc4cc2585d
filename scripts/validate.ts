// npm run validate [files...]: checks presets/*.json (or the files given) against the preset
// schema and prints every problem as `file: $.json.path: message (expected …, found …)`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { formatProblem, validatePresetText } from '../src/model/preset.ts';
import { LIMITS } from '../src/model/state.ts';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const files = args.length
  ? args
  : readdirSync(join(root, 'presets'))
      .filter((f) => f.endsWith('.json') && f !== 'schema.json')
      .sort()
      .map((f) => join(root, 'presets', f));

let bad = 0;
for (const file of files) {
  // A file named on the command line is printed as it was typed; presets/ relative to here.
  const name = args.length ? file : relative(process.cwd(), file) || file;
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > LIMITS.fileBytes) {
      console.log(`${name}: $: file too large (expected at most ${LIMITS.fileBytes} bytes, found ${size} bytes)`);
      bad++;
      continue;
    }
    text = readFileSync(file, 'utf8');
  } catch (err) {
    console.log(`${name}: cannot read: ${(err as Error).message}`);
    bad++;
    continue;
  }
  const result = validatePresetText(text);
  if (result.ok) console.log(`${name}: ok (${result.preset.id})`);
  else {
    bad++;
    for (const p of result.problems) console.log(formatProblem(p, name));
  }
}
console.log(bad ? `${bad} of ${files.length} file(s) have problems` : `${files.length} file(s) valid`);
process.exit(bad ? 1 : 0);
