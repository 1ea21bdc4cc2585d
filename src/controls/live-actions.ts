import type { BusAction } from '../runtime/runtime.ts';

/** The live actions of a show, with the keys that trigger them (shown beside the buttons). */
export interface LiveAction {
  id: 'fracture' | 'glitch' | 'restabilize' | 'next' | 'prev' | 'panic' | 'fullscreen' | 'audience';
  label: string;
  keys: string[];
  /** What a key shows as. */
  keyLabel: string;
}

export const LIVE_ACTIONS: readonly LiveAction[] = [
  { id: 'fracture', label: 'Fracture', keys: ['f', 'F'], keyLabel: 'F' },
  { id: 'glitch', label: 'Glitch', keys: ['g', 'G'], keyLabel: 'G' },
  { id: 'restabilize', label: 'Restabilize', keys: ['r', 'R'], keyLabel: 'R' },
  { id: 'prev', label: '◀ Act', keys: ['ArrowLeft'], keyLabel: '←' },
  { id: 'next', label: 'Act ▶', keys: [' ', 'ArrowRight'], keyLabel: 'Space / →' },
  { id: 'panic', label: 'Panic', keys: ['Escape'], keyLabel: 'Esc' },
  { id: 'fullscreen', label: 'Fullscreen', keys: ['.'], keyLabel: '.' },
  { id: 'audience', label: 'Audience window', keys: ['o', 'O'], keyLabel: 'O' },
];

/** The model action a live action stands for, given whether the show is in panic. */
export const actionFor = (id: LiveAction['id'], panicking: boolean): BusAction | null => {
  switch (id) {
    case 'fracture':
      return { type: 'fracture' };
    case 'glitch':
      return { type: 'glitch' };
    case 'restabilize':
      return { type: 'restabilize' };
    case 'next':
      return { type: 'act', to: 'next' };
    case 'prev':
      return { type: 'act', to: 'prev' };
    case 'panic':
      return panicking ? { type: 'recover' } : { type: 'panic' };
    default:
      return null;
  }
};

/** Keys do nothing while the performer types in a field. */
export const isTyping = (target: EventTarget | null): boolean => {
  if (!target || typeof (target as HTMLElement).tagName !== 'string') return false;
  const el = target as HTMLElement;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable) return true;
  if (tag !== 'INPUT') return false;
  const type = (el as HTMLInputElement).type;
  return !['button', 'checkbox', 'radio', 'range', 'submit', 'reset', 'file', 'color'].includes(type);
};

export const liveActionForKey = (e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'target'>): LiveAction | null => {
  if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return null;
  return LIVE_ACTIONS.find((a) => a.keys.includes(e.key)) ?? null;
};
