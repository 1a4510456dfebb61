import { describe, expect, it } from 'vitest';
import { highlightParts, snippetAround } from '@renderer/features/inbox/highlight';

describe('search highlight', () => {
  it('marks every match, case-insensitively, in Korean and Latin text', () => {
    expect(highlightParts('환불 요청, 환불 부탁', '환불')).toEqual([
      { text: '환불', match: true },
      { text: ' 요청, ', match: false },
      { text: '환불', match: true },
      { text: ' 부탁', match: false },
    ]);
    expect(
      highlightParts('Refund REFUND', 'refund')
        .filter((p) => p.match)
        .map((p) => p.text),
    ).toEqual(['Refund', 'REFUND']);
  });

  it('leaves text alone with no query or no match; masked digits are not matched', () => {
    expect(highlightParts('abc', '')).toEqual([{ text: 'abc', match: false }]);
    expect(highlightParts('카드 4111 **** **** 1111', '1111 1111')).toEqual([
      { text: '카드 4111 **** **** 1111', match: false },
    ]);
  });

  it('cuts a long message to a window around the match', () => {
    const long = `${'가'.repeat(100)}환불${'나'.repeat(100)}`;
    const snippet = snippetAround(long, '환불', 10);
    expect(snippet).toBe(`…${'가'.repeat(10)}환불${'나'.repeat(10)}…`);
    expect(snippetAround('짧은 글', '글')).toBe('짧은 글');
  });
});
