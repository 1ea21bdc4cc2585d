import { useEffect } from 'react';
import type { Inputs } from '../inputs/index.ts';
import type { MappingSource, MappingTarget } from '../model/mapping.ts';
import { useRuntime } from '../app/runtime-context.tsx';
import { learnState, levaPaths, pickTarget } from './learn.ts';
import { showNotice } from './notices.ts';
import { panelLayout } from './panel-layout.ts';

/** A source in words: "cc 7 ch 1 (nanoKONTROL2)", "note 36 ch 10", "/fader/1", "listen bass". */
export const sourceLabel = (s: MappingSource): string => {
  switch (s.kind) {
    case 'midi': {
      const port = s.port ? ` (${s.port})` : '';
      if (s.type === 'pitchbend') return `pitch bend ch ${s.channel}${port}`;
      if (s.type === 'cc14') return `cc ${s.number ?? 0}+${(s.number ?? 0) + 32} (14-bit) ch ${s.channel}${port}`;
      return `${s.type} ${s.number ?? 0} ch ${s.channel}${port}`;
    }
    case 'osc':
      return `osc ${s.address}`;
    case 'listen':
      return `listen ${s.feature}${s.on ? ' hit' : ''}`;
  }
};

let attempt = 0;

/** Arm learning for a target: the engine maps the first control that moves. */
export const startLearning = (inputs: Inputs | null, target: MappingTarget, label: string): void => {
  const engine = inputs?.mappings();
  if (!engine) return showNotice('mappings are not running');
  const mine = ++attempt;
  learnState.set({ phase: 'listening', target, label });
  engine
    .learn(target)
    .then((m) => showNotice(`learned: ${sourceLabel(m.source)} → ${label}`))
    .catch((err: unknown) => {
      if ((err as Error).message !== 'learn cancelled') showNotice(`learn: ${(err as Error).message}`);
    })
    .finally(() => {
      if (mine === attempt) learnState.set({ phase: 'idle' });
    });
};

/** Key L: arm learning (then click a control), or stop it. */
export const toggleLearn = (inputs: Inputs | null): void => {
  if (learnState.get().phase === 'idle') return learnState.set({ phase: 'picking' });
  attempt++;
  inputs?.mappings()?.cancelLearn();
  learnState.set({ phase: 'idle' });
};

/**
 * While picking, the next press on a panel control or a live-action button picks the target
 * instead of moving it (caught before leva or the button see it); presses inside the Mappings
 * panel work as usual.
 */
export const useLearnPicking = (inputs: Inputs | null): void => {
  const { store } = useRuntime();
  useEffect(() => {
    let swallowClick = false;
    const onDown = (e: PointerEvent) => {
      if (learnState.get().phase !== 'picking') return;
      const el = e.target instanceof Element ? e.target : null;
      if (!el || el.closest('.mappings')) return;
      const picked = pickTarget(el, levaPaths(panelLayout(store.getState().dream.dreamers)));
      if (!picked) return;
      e.preventDefault();
      e.stopPropagation();
      swallowClick = true;
      if ('refused' in picked) return showNotice(picked.refused);
      startLearning(inputs, picked.target, picked.label);
    };
    const onClick = (e: MouseEvent) => {
      if (!swallowClick) return;
      swallowClick = false;
      e.preventDefault();
      e.stopPropagation();
    };
    window.addEventListener('pointerdown', onDown, true);
    window.addEventListener('click', onClick, true);
    return () => {
      window.removeEventListener('pointerdown', onDown, true);
      window.removeEventListener('click', onClick, true);
    };
  }, [inputs, store]);
};
