import type { Runtime } from '../../runtime/runtime.ts';
import { checkOscMessage } from './addresses.ts';
import type { DropReason, OscAction, OscCommand } from './addresses.ts';

/**
 * Apply the OSC messages the bridge let through to the runtime, checked again here (the page
 * trusts no socket): continuous rows through `modulate` (the latest value per parameter per frame),
 * other rows as one `set` per path per frame, live actions at most once per address per frame (a
 * fader on fracture: its latest amount; a second press in one frame: dropped as too fast), every
 * action tagged `osc`. What is not applied is counted per reason; the show goes on.
 */

export interface OscCounts {
  received: number;
  applied: number;
  dropped: Partial<Record<DropReason, number>>;
  /** The last drop, said once: why and where. */
  lastDrop: string;
}

export interface ApplierEnv {
  /** Tap the tempo where tap tempo is built in: false when it is not there. */
  tap(): boolean;
  /** Whether anything listens to messages outside /dreamscape/ (a mapping). */
  heard(): boolean;
}

export interface Applier {
  handle(address: string, args: readonly unknown[]): void;
  /** At every frame: apply what waited for it and open the next frame. */
  frame(): void;
  counts(): OscCounts;
}

const reasonOf = (e: unknown): DropReason => {
  const m = e instanceof Error ? e.message : String(e);
  if (/no dreamer/.test(m)) return 'unknown dreamer';
  return 'refused';
};

export const createApplier = (runtime: Runtime, env: ApplierEnv): Applier => {
  const counts: OscCounts = { received: 0, applied: 0, dropped: {}, lastDrop: '' };
  const fired = new Set<string>();
  const waitingSets = new Map<string, { path: string; value: number | string | boolean }>();
  const waitingActs = new Map<string, OscAction>();
  const dropped = (reason: DropReason, detail: string) => {
    counts.dropped[reason] = (counts.dropped[reason] ?? 0) + 1;
    counts.lastDrop = `${reason}: ${detail}`;
  };
  const attempt = (detail: string, fn: () => void) => {
    try {
      fn();
      counts.applied += 1;
    } catch (e) {
      dropped(reasonOf(e), `${detail}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const act = (address: string, action: OscAction) => attempt(address, () => runtime.act(action, 'osc'));
  const run = (address: string, command: OscCommand) => {
    switch (command.kind) {
      case 'set':
        if (command.continuous) {
          const { path, value } = command;
          if (typeof value === 'number') attempt(address, () => runtime.modulate(path, value, { source: 'osc' }));
          else dropped('wrong type', address);
        } else waitingSets.set(command.path, { path: command.path, value: command.value });
        return;
      case 'do':
        if (!fired.has(address)) {
          fired.add(address);
          act(address, command.action);
        } else if (command.coalesce) waitingActs.set(address, command.action);
        else dropped('too fast', `${address}: more than one press in a frame`);
        return;
      case 'tap':
        if (fired.has(address)) dropped('too fast', `${address}: more than one tap in a frame`);
        else if (env.tap()) {
          fired.add(address);
          counts.applied += 1;
        } else dropped('not available', `${address}: this page has no tap tempo`);
        return;
      case 'foreign':
        if (env.heard()) counts.applied += 1;
        else dropped('no listener', `${address}: no mapping listens to it`);
        return;
      case 'release':
        return;
    }
  };
  return {
    handle: (address, args) => {
      counts.received += 1;
      const checked = checkOscMessage(address, args);
      if (!checked.ok) dropped(checked.reason, checked.detail);
      else run(address, checked.command);
    },
    frame: () => {
      fired.clear();
      for (const { path, value } of waitingSets.values()) attempt(path, () => runtime.act({ type: 'set', path, value }, 'osc'));
      waitingSets.clear();
      for (const [address, action] of waitingActs) {
        fired.add(address);
        act(address, action);
      }
      waitingActs.clear();
    },
    counts: () => ({ ...counts, dropped: { ...counts.dropped } }),
  };
};
