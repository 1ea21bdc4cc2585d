import type { Problem } from '../../model/index.ts';

/** Line and column (from 1) of a character offset in a text. */
export const lineColumn = (text: string, offset: number): { line: number; column: number } => {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
};

/**
 * A JSON syntax error says where it is as line and column, which is what an editor shows: some
 * engines' messages give only a character position (Node's V8 'at position 57'), some nothing (the
 * end of the input, a file cut short).
 */
export const withLineColumn = (problems: readonly Problem[], text: string): Problem[] =>
  problems.map((p) => {
    if (p.path !== '$' || !p.message.startsWith('not valid JSON') || /\bline \d+/.test(p.message)) return p;
    const at = /position (\d+)/.exec(p.message);
    const offset = at ? Number(at[1]) : /end of (JSON )?input|Unterminated/i.test(p.message) ? text.length : null;
    if (offset === null) return p;
    const { line, column } = lineColumn(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, offset);
    return { ...p, message: `${p.message} (line ${line} column ${column})` };
  });
