// Writes presets/schema.json from the zod schema in src/model/schema.ts, and
// docs/show-log.schema.json from src/model/show-log.ts and docs/mappings.schema.json from
// src/model/mapping.ts (the only sources), and the field reference in docs/authoring.md from the
// parameter table (scripts/lib/authoring-reference.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { withReference } from './lib/authoring-reference.ts';
import { presetJsonSchema } from '../src/model/schema.ts';
import { showLogJsonSchema } from '../src/model/show-log.ts';
import { profileJsonSchema } from '../src/model/mapping.ts';

export const schemaText = (): string => `${JSON.stringify(presetJsonSchema(), null, 2)}\n`;
export const showLogSchemaText = (): string => `${JSON.stringify(showLogJsonSchema(), null, 2)}\n`;
export const mappingsSchemaText = (): string => `${JSON.stringify(profileJsonSchema(), null, 2)}\n`;

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(new URL('../presets/schema.json', import.meta.url), schemaText());
  writeFileSync(new URL('../docs/show-log.schema.json', import.meta.url), showLogSchemaText());
  writeFileSync(new URL('../docs/mappings.schema.json', import.meta.url), mappingsSchemaText());
  const guide = new URL('../docs/authoring.md', import.meta.url);
  writeFileSync(guide, withReference(readFileSync(guide, 'utf8')));
  console.log('wrote presets/schema.json, docs/show-log.schema.json, docs/mappings.schema.json and the reference in docs/authoring.md');
}
