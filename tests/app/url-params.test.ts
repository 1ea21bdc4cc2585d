import { describe, expect, it } from 'vitest';
import { parseUrlOptions } from '../../src/app/url-params.ts';

describe('URL parameters for a relay', () => {
  it('takes ?relay= (ws or wss), ?user=, ?pass= and ?device=, and reports bad ones without echoing a secret', () => {
    const o = parseUrlOptions('?view=performer&room=show&relay=ws%3A%2F%2F127.0.0.1%3A8090&pass=s3cr3t&device=pa', []);
    expect(o).toMatchObject({ view: 'performer', room: 'show', relay: 'ws://127.0.0.1:8090', pass: 's3cr3t', device: 'pa', problems: [] });
    const bad = parseUrlOptions(`?relay=http://x&pass=${'x'.repeat(300)}&device=a%20b`, []);
    expect(bad.relay).toBeUndefined();
    expect(bad.problems.join('\n')).toMatch(/\?relay=http:\/\/x: expected a ws:\/\/ or wss:\/\//);
    expect(bad.problems.join('\n')).not.toContain('x'.repeat(300));
    expect(parseUrlOptions('?relay=wss://show.example.org/nats', []).relay).toBe('wss://show.example.org/nats');
  });
});
