// Writes presets/schema.json from the zod schema in src/model/schema.ts (the only source).
import { writeFileSync } from 'node:fs';
import { presetJsonSchema } from '../src/model/schema.ts';

export const schemaText = (): string => `${JSON.stringify(presetJsonSchema(), null, 2)}\n`;

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(new URL('../presets/schema.json', import.meta.url), schemaText());
  console.log('wrote presets/schema.json');
}
