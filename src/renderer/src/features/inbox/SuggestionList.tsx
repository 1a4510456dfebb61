/**
 * The composer's popup list (canned responses after `/`, agents after `@`):
 * an ARIA listbox the textarea controls as a combobox. The keyboard stays in
 * the textarea — arrows move, Enter or Tab picks, Escape closes — and a
 * click picks too.
 */
import type { ReactNode } from 'react';

export interface Suggestion {
  id: string;
  label: string;
  detail?: string;
}

interface Props {
  id: string;
  label: string;
  items: readonly Suggestion[];
  active: number;
  empty: ReactNode;
  onPick(index: number): void;
}

export const optionId = (listId: string, index: number) => `${listId}-opt-${index}`;

export function SuggestionList({ id, label, items, active, empty, onPick }: Props) {
  return (
    <div className="suggestions">
      <ul id={id} role="listbox" aria-label={label} className="suggestions__list">
        {items.map((item, i) => (
          <li
            key={item.id}
            id={optionId(id, i)}
            role="option"
            aria-selected={i === active}
            className="suggestions__item"
            // mousedown, not click: the textarea must keep focus.
            onMouseDown={(e) => {
              e.preventDefault();
              onPick(i);
            }}
          >
            <span className="suggestions__label">{item.label}</span>
            {item.detail && <span className="suggestions__detail">{item.detail}</span>}
          </li>
        ))}
      </ul>
      {items.length === 0 && <p className="suggestions__empty">{empty}</p>}
    </div>
  );
}

/** Arrow keys move within `count` items, wrapping around. */
export function moveActive(active: number, key: 'ArrowDown' | 'ArrowUp', count: number): number {
  if (count === 0) return 0;
  return key === 'ArrowDown' ? (active + 1) % count : (active - 1 + count) % count;
}

/**
 * The `/query` or `@query` the caret is in: the trigger must start the text
 * or follow whitespace, and the query runs to the caret without spaces.
 */
export function triggerAt(
  text: string,
  caret: number,
  trigger: '/' | '@',
): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf(trigger);
  if (at < 0) return null;
  if (at > 0 && !/\s/.test(before[at - 1]!)) return null;
  const query = before.slice(at + 1);
  if (/\s/.test(query) || query.length > 40) return null;
  return { start: at, query };
}
