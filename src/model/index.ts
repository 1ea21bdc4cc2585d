/**
 * The dream-state model: plain TypeScript, no React, three or Tone. Everything else in the
 * product (scene, symphony, panels, audience windows) is a view of the state defined here.
 */
export * from './units.ts';
export * from './random.ts';
export * from './state.ts';
export * from './params.ts';
export * from './schema.ts';
export * from './preset.ts';
export * from './actions.ts';
export * from './tick.ts';
export * from './json-guard.ts';
export * from './timeline.ts';
export * from './show-log.ts';
export * from './tree.ts';
