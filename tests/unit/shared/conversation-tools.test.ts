import { describe, expect, it } from 'vitest';
import { ConversationTag, fillCannedResponse, mentionTokens } from '@shared/conversation-tools';

describe('fillCannedResponse', () => {
  const vars = { customerName: '홍길동', agentName: '김지은', orderNumber: 'ORD-00000042' };

  it('fills HQ’s {{dotted}} spelling and the {spaced} and Korean ones', () => {
    expect(fillCannedResponse('{{customer.name}} 고객님, 상담원 {{agent.name}}입니다.', vars)).toBe(
      '홍길동 고객님, 상담원 김지은입니다.',
    );
    expect(fillCannedResponse('{customer name} / {agent name} / {order number}', vars)).toBe(
      '홍길동 / 김지은 / ORD-00000042',
    );
    expect(fillCannedResponse('{고객명}님 주문 {주문번호}', vars)).toBe('홍길동님 주문 ORD-00000042');
  });

  it('leaves a variable without a value, and unknown braces, as typed', () => {
    expect(fillCannedResponse('주문번호 {{order.number}}', { ...vars, orderNumber: null })).toBe(
      '주문번호 {{order.number}}',
    );
    expect(fillCannedResponse('{weather} {}', vars)).toBe('{weather} {}');
  });
});

describe('mentionTokens', () => {
  it('takes @names at the start or after a space, once each', () => {
    expect(mentionTokens('@supervisor1 확인 부탁, @이준호 도 봐 주세요 @supervisor1')).toEqual([
      'supervisor1',
      '이준호',
    ]);
  });
  it('ignores email addresses', () => {
    expect(mentionTokens('user@example.com 으로 보냈습니다')).toEqual([]);
  });
});

describe('ConversationTag', () => {
  it('trims and refuses empty, comma and over-long tags', () => {
    expect(ConversationTag.parse('  배송지연 ')).toBe('배송지연');
    expect(ConversationTag.safeParse(' ').success).toBe(false);
    expect(ConversationTag.safeParse('a,b').success).toBe(false);
    expect(ConversationTag.safeParse('x'.repeat(33)).success).toBe(false);
  });
});
