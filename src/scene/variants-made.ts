/**
 * How many shader variants the scene's layers have made in this page (a world's kinds each compile
 * one the first time they are drawn, and keep it: a bounded set). `stats().variants` reports it, so
 * a soak can tell a bounded set of variants made on first use from programs that leak.
 */
export const variantsMade = { count: 0 };
