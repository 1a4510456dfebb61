/** Material for realistic Korean demo data. */
export const SURNAMES = [
  '김',
  '이',
  '박',
  '최',
  '정',
  '강',
  '조',
  '윤',
  '장',
  '임',
  '한',
  '오',
  '서',
  '신',
  '권',
  '황',
  '안',
  '송',
  '류',
  '홍',
];
export const GIVEN_NAMES = [
  '민준',
  '서연',
  '도윤',
  '하은',
  '시우',
  '지우',
  '주원',
  '서윤',
  '예준',
  '지민',
  '하준',
  '수아',
  '지호',
  '지유',
  '준서',
  '채원',
  '현우',
  '다은',
  '은우',
  '예린',
  '건우',
  '소율',
  '우진',
  '윤서',
  '선우',
  '민서',
  '연우',
  '하린',
  '유준',
  '지아',
];
export const EMAIL_DOMAINS = ['naver.com', 'daum.net', 'gmail.com', 'kakao.com', 'nate.com'];
export const SEGMENTS = ['일반', '일반', '일반', '우수', 'VIP'];

/** Customer openings by topic, and the agent's typical answers. */
export const TOPICS: { subject: string; customer: string[]; agent: string[] }[] = [
  {
    subject: '배송 지연 문의',
    customer: [
      '주문한 상품이 아직 도착하지 않았어요.',
      '주문번호는 {order} 입니다.',
      '언제쯤 받을 수 있을까요?',
    ],
    agent: [
      '불편을 드려 죄송합니다. 주문번호 확인해 보겠습니다.',
      '현재 택배사 집하 지연으로 내일 도착 예정입니다.',
    ],
  },
  {
    subject: '결제 오류',
    customer: ['카드 결제가 두 번 된 것 같아요.', '승인 문자가 두 번 왔습니다.'],
    agent: [
      '확인 결과 중복 승인 건은 자동 취소 처리되었습니다.',
      '카드사 사정에 따라 3~5 영업일 내 환불됩니다.',
    ],
  },
  {
    subject: '반품 신청',
    customer: ['사이즈가 맞지 않아 반품하고 싶어요.', '회수는 언제 오나요?'],
    agent: ['반품 접수 도와드리겠습니다.', '내일 오전 중 기사님이 방문 회수 예정입니다.'],
  },
  {
    subject: '회원 정보 변경',
    customer: ['휴대폰 번호가 바뀌었는데 변경이 안 돼요.'],
    agent: ['본인 인증 후 변경 가능합니다. 인증 링크를 보내드릴게요.'],
  },
  {
    subject: '앱 로그인 문제',
    customer: ['앱에서 로그인이 계속 실패합니다.', '비밀번호는 맞게 입력했어요.'],
    agent: [
      '앱을 최신 버전으로 업데이트 후 다시 시도해 주시겠어요?',
      '그래도 안 되시면 캐시 삭제를 부탁드립니다.',
    ],
  },
  {
    subject: '쿠폰 사용 문의',
    customer: ['웰컴 쿠폰이 적용되지 않아요.'],
    agent: ['해당 쿠폰은 3만원 이상 구매 시 적용됩니다.'],
  },
];
