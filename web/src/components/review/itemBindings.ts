import type { ReviewSetup } from '../../lib/api/review.ts';
import type { KeyBinding } from './keys.ts';
import type { DecisionDraft } from './useDecisionDraft.ts';

/** What the item view's keys do; ItemPanel supplies each action. */
export interface ItemActions {
  codebook: ReviewSetup['codebook'];
  draft: DecisionDraft;
  adjudicating: boolean;
  accept: () => void;
  reject: () => void;
  skip: () => void;
  exclude: () => void;
  adjudicate: () => void;
  undo: () => void;
  next: () => void;
  previous: () => void;
  themes: () => void;
  note: () => void;
  document: () => void;
  documentPage: () => void;
  history: () => void;
  bulk: () => void;
  queue: () => void;
  help: () => void;
}

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** The item view's shortcuts, in the order the `?` help lists them: the table the key handler runs. */
export function itemBindings(a: ItemActions): KeyBinding[] {
  const { codebook, draft } = a;
  const stance = codebook.stance;
  const bindings: KeyBinding[] = [
    {
      keys: DIGITS,
      hint: `1 … ${Math.min(9, codebook.labels.length)}`,
      what: 'pick a label (codebook order); 0 clears it',
      run: (e) => {
        const digit = Number(e.key);
        if (digit === 0) draft.setLabel(null);
        else if (codebook.labels[digit - 1]) draft.setLabel(codebook.labels[digit - 1]!.id);
      },
    },
    { keys: ['['], hint: '[', what: 'stance down', run: () => draft.setStance((v) => Math.max(stance.min, (v ?? 0) - 1)) },
    { keys: [']'], hint: ']', what: 'stance up', run: () => draft.setStance((v) => Math.min(stance.max, (v ?? 0) + 1)) },
    { keys: ['t'], hint: 't', what: 'themes: then ↑ ↓ move, Space toggles, t / Esc / Enter leaves', run: a.themes },
    {
      keys: ['a', 'Enter'],
      hint: 'a  or  Enter',
      what: 'save what the panel shows: your own decision unchanged records nothing new; the suggestion as shown is an accept; anything you changed is an edit',
      run: a.accept,
    },
    { keys: ['r'], hint: 'r', what: 'reject the suggestion (a label other than its own is the right answer, else the answer stays open)', run: a.reject },
    { keys: ['s'], hint: 's', what: 'skip', run: a.skip },
    { keys: ['x'], hint: 'x', what: 'exclude the passage (asks why) / include it again', run: a.exclude },
    { keys: ['u'], hint: 'u', what: 'undo your last decision (repeat to go further back)', run: a.undo },
    { keys: ['j', 'ArrowRight'], hint: 'j  or  →', what: 'next item', run: a.next },
    { keys: ['k', 'ArrowLeft'], hint: 'k  or  ←', what: 'previous item', run: a.previous },
    { keys: ['n'], hint: 'n', what: 'write a note (kept with your decision; Enter saves it to the history now)', run: a.note },
    { keys: ['d'], hint: 'd', what: 'show / hide the whole document, at this passage, boilerplate marked', run: a.document },
    { keys: ['o'], hint: 'o', what: 'open the document page', run: a.documentPage },
    { keys: ['h'], hint: 'h', what: 'show / hide the history', run: a.history },
    { keys: ['b'], hint: 'b', what: 'bulk accept above a confidence threshold in this queue', run: a.bulk },
    { keys: ['g'], hint: 'g', what: 'back to the queue list', run: a.queue },
    { keys: ['?'], hint: '?', what: 'this help', run: a.help },
  ];
  if (a.adjudicating) bindings.splice(8, 0, { keys: ['c'], hint: 'c', what: 'settle the item with the picked label (adjudicate) and open the next disagreement', run: a.adjudicate });
  return bindings;
}
