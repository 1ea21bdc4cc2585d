import { z } from './zod.ts';
import { DREAMER_PARAMS, PARAMS } from './param-table.ts';
import type { ParamSpec, ParamTable } from './param-table.ts';

/**
 * A parameter path in a schema (a preset's event, a show log's entry, a mapping's target): its own
 * file so the preset schema and the mappings schema both build on it, one way (schema.ts and
 * mapping-schema.ts import it; it imports only the table).
 */

/** Paths the table lets a scope set, as a JSON Schema an editor completes and checks. */
export const pathJsonSchema = (has: (spec: ParamSpec) => boolean, table: ParamTable = PARAMS, dreamerTable: ParamTable = DREAMER_PARAMS): Record<string, unknown> => {
  const fields = Object.entries(dreamerTable).filter(([, spec]) => has(spec)).map(([f]) => f);
  return {
    anyOf: [
      { enum: Object.entries(table).filter(([, spec]) => has(spec)).map(([p]) => p) },
      ...(fields.length ? [{ pattern: `^dreamers\\.([0-9]+|[a-z0-9][a-z0-9-]{0,47})\\.(${fields.join('|')})$`, description: 'a dreamer\'s parameter: dreamers.<id or index>.<field>' }] : []),
    ],
  };
};

/**
 * A parameter path: any string to zod (the cross-check resolves it against the dreamers and says
 * what is wrong), and to an editor the table's paths (autocompleted; a misspelt one underlined).
 */
export const pathSchema = (description: string, has: (spec: ParamSpec) => boolean) =>
  z.string().min(1).max(64).meta({ description, ...pathJsonSchema(has) });

