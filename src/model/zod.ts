import { z } from 'zod';

/**
 * zod, configured once before any schema is made. zod 4 compiles fast parsers with `new Function`
 * when it may, and decides so when an object schema is constructed: a schema made before this
 * line ran would probe `new Function` and break our Content-Security-Policy (no eval). Presets,
 * logs and messages are data only: parse them without code generation. Every module that makes
 * schemas imports z from here, so this module runs first.
 */
z.config({ jitless: true });

export { z };
