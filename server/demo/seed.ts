/**
 * `--demo`: realistic Korean demo data for two centers (서울센터 `seoul`,
 * 부산센터 `busan`) — teams, skills, queues, reason codes, dispositions, canned
 * responses, demo users (password `demo`) and a few hundred customers with
 * history on several channels. Runs once: a hub that already has sites is left
 * alone. Deterministic (seeded PRNG) so screenshots and tests are stable.
 */
import type { Channel, Role } from '@shared/domain';
import { hashPassword } from '../auth/passwords';
import type { HubContext } from '../context';
import type { Db } from '../storage/database';
import { newId } from '../storage/ids';
import { EMAIL_DOMAINS, GIVEN_NAMES, SEGMENTS, SURNAMES, TOPICS } from './korean-names';

export const DEMO_PASSWORD = 'demo';

function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface DemoUser {
  username: string;
  displayName: string;
  role: Role;
  site: 'seoul' | 'busan';
  /** Group-level users also exist at an HQ hub, and at whichever center a site hub seeds. */
  group?: boolean;
  team?: string;
}

export const DEMO_USERS: DemoUser[] = [
  { username: 'agent1', displayName: '김지은', role: 'agent', site: 'seoul', team: '일반상담 1팀' },
  { username: 'agent2', displayName: '이준호', role: 'agent', site: 'seoul', team: '일반상담 1팀' },
  { username: 'supervisor1', displayName: '박서연', role: 'supervisor', site: 'seoul', team: '일반상담 1팀' },
  { username: 'manager1', displayName: '최민수', role: 'site_manager', site: 'seoul' },
  { username: 'hq1', displayName: '정하늘', role: 'hq_analyst', site: 'seoul', group: true },
  { username: 'admin1', displayName: '관리자', role: 'admin', site: 'seoul', group: true },
  { username: 'busan1', displayName: '윤도현', role: 'agent', site: 'busan', team: '부산 상담팀' },
  { username: 'busan2', displayName: '한지민', role: 'agent', site: 'busan', team: '부산 상담팀' },
  { username: 'supervisor2', displayName: '강태오', role: 'supervisor', site: 'busan', team: '부산 상담팀' },
];

const SITES = [
  { code: 'seoul', name: '서울센터', teams: ['일반상담 1팀', '기술지원팀'], customers: 240 },
  { code: 'busan', name: '부산센터', teams: ['부산 상담팀'], customers: 120 },
] as const;

const SKILLS = ['일반문의', '결제', '배송', '기술지원', 'VIP'];
const REASONS: [string, string, 'not_ready' | 'wrap_up'][] = [
  ['break', '휴식', 'not_ready'],
  ['lunch', '식사', 'not_ready'],
  ['training', '교육', 'not_ready'],
  ['meeting', '회의', 'not_ready'],
  ['missed', '응대 누락', 'not_ready'],
  ['acw', '후처리', 'wrap_up'],
];
const DISPOSITIONS: [string, string][] = [
  ['resolved', '해결'],
  ['follow_up', '재문의 필요'],
  ['escalated', '상위 부서 이관'],
  ['complaint', '불만 접수'],
  ['info', '단순 안내'],
];
const CANNED: [string, string, string][] = [
  [
    'hello',
    '첫 인사',
    '안녕하세요, {{customer.name}} 고객님. 상담원 {{agent.name}}입니다. 무엇을 도와드릴까요?',
  ],
  ['wait', '확인 중', '확인 후 바로 안내드리겠습니다. 잠시만 기다려 주세요.'],
  ['order', '주문 확인', '주문번호 {{order.number}} 확인되었습니다.'],
  ['thanks', '마무리 인사', '이용해 주셔서 감사합니다. 좋은 하루 보내세요!'],
];
/** Each demo center's main number: the SIP user part a caller dials (docs/telephony.md). */
export const DEMO_QUEUE_NUMBERS: Record<string, string> = { seoul: '1588', busan: '1599' };

const CHANNEL_MIX: Channel[] = ['webchat', 'webchat', 'email', 'sms', 'messenger', 'voice'];

export async function seedDemo(ctx: HubContext): Promise<boolean> {
  const existing = await ctx.db.selectFrom('sites').select('id').limit(1).executeTakeFirst();
  if (existing) {
    ctx.log.info('demo data already present');
    return false;
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  if (ctx.config.role === 'hq') {
    await ctx.db.transaction().execute((trx) => seedHq(trx, passwordHash));
  } else {
    const codes = ctx.config.demoSites;
    await ctx.db.transaction().execute((trx) =>
      seedInto(
        trx,
        passwordHash,
        SITES.filter((s) => codes.includes(s.code)),
      ),
    );
  }
  ctx.log.info({ users: DEMO_USERS.map((u) => u.username) }, 'demo data seeded');
  return true;
}

/** An HQ hub's own site (본사 `hq`) with the group-level users; centers arrive by enrollment. */
async function seedHq(db: Db, passwordHash: string): Promise<void> {
  const now = Date.now();
  const siteId = newId();
  await db
    .insertInto('sites')
    .values({ id: siteId, code: 'hq', name: '본사', timezone: 'Asia/Seoul', created_at: now })
    .execute();
  for (const u of DEMO_USERS.filter((x) => x.group)) {
    await db
      .insertInto('users')
      .values({
        id: newId(),
        site_id: siteId,
        username: u.username,
        display_name: u.displayName,
        role: u.role,
        team_id: null,
        skills_json: '[]',
        password_hash: passwordHash,
        active: 1,
        created_at: now,
      })
      .execute();
  }
}

async function seedInto(
  db: Db,
  passwordHash: string,
  sites: readonly (typeof SITES)[number][],
): Promise<void> {
  const rand = prng(20261122);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const now = Date.now();
  const day = 86_400_000;

  // Group-level users live at the first seeded center (seoul in the full demo).
  const groupHome = sites[0]?.code;
  for (const site of sites) {
    const siteId = newId();
    await db
      .insertInto('sites')
      .values({
        id: siteId,
        code: site.code,
        name: site.name,
        timezone: 'Asia/Seoul',
        created_at: now - 400 * day,
      })
      .execute();
    await db.insertInto('site_counters').values({ site_id: siteId, last_seq: 0 }).execute();

    const teamIds = new Map<string, string>();
    for (const name of site.teams) {
      const id = newId();
      teamIds.set(name, id);
      await db.insertInto('teams').values({ id, site_id: siteId, name }).execute();
    }
    const skillIds = SKILLS.map((name) => ({ id: newId(), name }));
    await db
      .insertInto('skills')
      .values(skillIds.map((s) => ({ id: s.id, site_id: siteId, name: s.name })))
      .execute();
    const skill = (name: string) => skillIds.find((s) => s.name === name)!.id;

    const queues = [
      {
        name: '일반 문의',
        channels: ['webchat', 'email', 'sms', 'messenger'],
        skills: [{ skillId: skill('일반문의'), minLevel: 1 }],
        priority: 10,
      },
      {
        name: '결제·환불',
        channels: ['webchat', 'voice'],
        skills: [{ skillId: skill('결제'), minLevel: 2 }],
        priority: 20,
      },
      {
        name: '대표번호',
        channels: ['voice'],
        skills: [{ skillId: skill('일반문의'), minLevel: 1 }],
        priority: 30,
      },
      {
        name: 'VIP 전용',
        channels: ['voice', 'webchat'],
        skills: [{ skillId: skill('VIP'), minLevel: 3 }],
        priority: 50,
      },
    ].map((q) => ({ ...q, id: newId() }));
    await db
      .insertInto('queues')
      .values(
        queues.map((q) => ({
          id: q.id,
          site_id: siteId,
          name: q.name,
          channels_json: JSON.stringify(q.channels),
          skills_json: JSON.stringify(q.skills),
          priority: q.priority,
          sla_seconds: q.channels.includes('voice') ? 20 : 60,
          sla_target_pct: 80,
        })),
      )
      .execute();
    // The number customers dial for the 대표번호 queue (Kamailio asks the hub who rings).
    const mainNumber = DEMO_QUEUE_NUMBERS[site.code];
    if (mainNumber) {
      await db
        .insertInto('queue_numbers')
        .values({
          number: mainNumber,
          site_id: siteId,
          queue_id: queues.find((q) => q.name === '대표번호')!.id,
        })
        .execute();
    }
    await db
      .insertInto('reason_codes')
      .values(REASONS.map(([code, label, kind]) => ({ id: newId(), site_id: siteId, code, label, kind })))
      .execute();
    await db
      .insertInto('dispositions')
      .values(DISPOSITIONS.map(([code, label]) => ({ id: newId(), site_id: siteId, code, label })))
      .execute();
    await db
      .insertInto('canned_responses')
      .values(
        CANNED.map(([shortcut, title, body]) => ({ id: newId(), site_id: siteId, shortcut, title, body })),
      )
      .execute();

    const agents: string[] = [];
    const members = DEMO_USERS.filter((x) => (x.group ? site.code === groupHome : x.site === site.code));
    for (const u of members) {
      const id = newId();
      if (u.role === 'agent') agents.push(id);
      // Supervisors are the seniors who also take the hard and the VIP work.
      const levels =
        u.role === 'agent'
          ? [
              { skillId: skill('일반문의'), level: 3 },
              { skillId: skill('결제'), level: 2 },
              { skillId: skill('배송'), level: 2 },
            ]
          : u.role === 'supervisor'
            ? [
                { skillId: skill('일반문의'), level: 5 },
                { skillId: skill('결제'), level: 4 },
                { skillId: skill('배송'), level: 4 },
                { skillId: skill('기술지원'), level: 3 },
                { skillId: skill('VIP'), level: 4 },
              ]
            : [];
      await db
        .insertInto('users')
        .values({
          id,
          site_id: siteId,
          username: u.username,
          display_name: u.displayName,
          role: u.role,
          team_id: u.team ? (teamIds.get(u.team) ?? null) : null,
          skills_json: JSON.stringify(levels),
          password_hash: passwordHash,
          active: 1,
          created_at: now - 300 * day,
        })
        .execute();
      await db
        .insertInto('agent_status')
        .values({ user_id: id, site_id: siteId, state: 'offline', reason_code_id: null, since: now })
        .execute();
    }

    for (let c = 0; c < site.customers; c++) {
      const customerId = newId();
      const name = pick(SURNAMES) + pick(GIVEN_NAMES);
      const created = now - Math.floor(rand() * 365) * day;
      await db
        .insertInto('customers')
        .values({ id: customerId, site_id: siteId, name, segment: pick(SEGMENTS), created_at: created })
        .execute();
      const phone = `+8210${String(10_000_000 + Math.floor(rand() * 89_999_999))}`;
      const email = `user${site.code}${c}@${pick(EMAIL_DOMAINS)}`;
      await db
        .insertInto('identities')
        .values([
          { id: newId(), site_id: siteId, customer_id: customerId, channel: 'voice', handle: phone },
          { id: newId(), site_id: siteId, customer_id: customerId, channel: 'email', handle: email },
        ])
        .execute();

      const conversations = 1 + Math.floor(rand() * 3);
      for (let k = 0; k < conversations; k++) {
        const topic = pick(TOPICS);
        const channel = pick(CHANNEL_MIX);
        const recent = k === conversations - 1 && c < 16;
        // The newest conversations of the first customers stay open for the demo agents.
        const assignee = recent ? agents[c % agents.length]! : pick(agents);
        const convId = newId();
        const order = `A${20260000 + Math.floor(rand() * 9999)}`;
        const lines: { dir: 'in' | 'out' | 'note'; body: string }[] = [];
        topic.customer.forEach((text, i) => {
          lines.push({ dir: 'in', body: text.replace('{order}', order) });
          if (!recent || i < topic.customer.length - 1) {
            const reply = topic.agent[i];
            if (reply) lines.push({ dir: 'out', body: reply });
          }
        });
        if (channel === 'voice') lines.unshift({ dir: 'note', body: `통화 요약: ${topic.subject}` });
        // Every seeded message lies in the past: a message dated after "now"
        // would sort above the ones a real agent sends during the demo.
        const span = lines.length * 60_000;
        const start = recent
          ? now - span - Math.floor(rand() * 3_600_000)
          : created + Math.floor(rand() * Math.max(0, now - created - span));
        const lastAt = start + span;
        await db
          .insertInto('conversations')
          .values({
            id: convId,
            site_id: siteId,
            customer_id: customerId,
            channel,
            queue_id: queues[0]!.id,
            status: recent ? 'open' : 'resolved',
            priority: 0,
            assignee_id: assignee,
            subject: topic.subject,
            waiting_since: recent && lines.at(-1)?.dir === 'in' ? lastAt : null,
            created_at: start,
            last_message_at: lastAt,
          })
          .execute();
        await db
          .insertInto('messages')
          .values(
            lines.map((l, i) => ({
              id: newId(),
              site_id: siteId,
              conversation_id: convId,
              direction: l.dir,
              author_id: l.dir === 'in' ? null : assignee,
              body: l.body,
              client_id: null,
              created_at: start + (i + 1) * 60_000,
            })),
          )
          .execute();
      }
    }
  }
}
