/**
 * The inbox list, virtualized: only the rows on screen (plus a few) are in
 * the DOM, each a fixed height, so 50,000 conversations scroll as smoothly as
 * fifty. Rows not loaded yet show as placeholders; scrolling near the end of
 * what is loaded fetches the next page. A listbox: arrow keys, Home/End and
 * Enter work, and the active row is announced (aria-activedescendant).
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { openConversation } from '@renderer/services/desk-session';
import { loadMoreIfNeeded } from '@renderer/services/inbox-loader';
import { useInboxStore } from '@renderer/stores/inbox';
import { ConversationRow, ROW_HEIGHT } from './ConversationRow';

export const optionId = (conversationId: string): string => `inbox-option-${conversationId}`;

export function ConversationList({ timeFormat }: { timeFormat: Intl.DateTimeFormat }) {
  const { t } = useTranslation();
  const list = useInboxStore((s) => s.list);
  const selectedId = useInboxStore((s) => s.selectedId);
  const scroller = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const count = Math.max(list.ids.length, list.total);

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
    getItemKey: (index) => list.ids[index] ?? `placeholder-${index}`,
  });
  const rows = virtualizer.getVirtualItems();
  const lastIndex = rows.at(-1)?.index ?? 0;
  useEffect(() => loadMoreIfNeeded(lastIndex), [lastIndex, list.ids.length]);

  const activeIndex = Math.min(active, Math.max(0, list.ids.length - 1));
  const activeId = list.ids[activeIndex];
  const move = (to: number) => {
    const next = Math.max(0, Math.min(list.ids.length - 1, to));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT) - 1);
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(activeIndex + 1),
      ArrowUp: () => move(activeIndex - 1),
      PageDown: () => move(activeIndex + page),
      PageUp: () => move(activeIndex - page),
      Home: () => move(0),
      End: () => move(list.ids.length - 1),
      Enter: () => activeId && openConversation(activeId),
      ' ': () => activeId && openConversation(activeId),
    };
    const action = keys[e.key];
    if (!action) return;
    e.preventDefault();
    action();
  };

  return (
    <div
      ref={scroller}
      className="inbox-list"
      role="listbox"
      aria-label={t('inbox.listLabel')}
      aria-busy={list.loadingPage || undefined}
      aria-activedescendant={activeId ? optionId(activeId) : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <div className="inbox-list__canvas" style={{ height: virtualizer.getTotalSize() }}>
        {rows.map((row) => {
          const id = list.ids[row.index];
          const item = id ? list.items[id] : undefined;
          const transform = `translateY(${row.start}px)`;
          if (!item) {
            return (
              <div
                key={row.key}
                className="inbox-row inbox-row--placeholder"
                style={{ transform }}
                aria-hidden="true"
              />
            );
          }
          return (
            <div
              key={row.key}
              id={optionId(item.id)}
              role="option"
              aria-selected={item.id === selectedId}
              aria-posinset={row.index + 1}
              aria-setsize={count}
              className={`inbox-row${row.index === activeIndex ? ' inbox-row--active' : ''}`}
              style={{ transform }}
              onClick={() => {
                setActive(row.index);
                openConversation(item.id);
              }}
            >
              <ConversationRow item={item} timeFormat={timeFormat} />
            </div>
          );
        })}
      </div>
    </div>
  );
}
