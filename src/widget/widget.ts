/**
 * The embeddable web chat widget: `<script src="https://hub/widget.js"
 * data-site="seoul" data-queue="일반 문의" data-lang="ko"></script>`.
 *
 * It draws a launcher and a chat window in a shadow root (the host page's CSS
 * cannot break it), asks for the pre-chat form, then talks to the hub's
 * `/visitor` namespace. The visitor token and unsent messages live in
 * localStorage, so a reload or a network drop keeps the conversation; events
 * carry a per-conversation seq, applied once each, in order.
 */
import { io, type Socket } from 'socket.io-client';
import type { Result } from '@shared/errors';
import { STANDARD_SURVEY, type SurveyForm, type SurveyText } from '@shared/surveys';
import type {
  HubToVisitorEvents,
  QueueStanding,
  StartChatResponse,
  VisitorEvent,
  VisitorMessage,
  VisitorSendResult,
  VisitorToHubEvents,
  VisitorWelcome,
} from '@shared/webchat';
import { strings } from './i18n';
import { WIDGET_CSS } from './widget-style';

const script = document.currentScript as HTMLScriptElement | null;
const hub = script?.src ? new URL(script.src).origin : location.origin;
const site = script?.dataset.site ?? 'seoul';
const queue = script?.dataset.queue;
const lang = script?.dataset.lang === 'en' ? 'en' : 'ko';
const t = strings(lang);
const storeKey = `ieum.webchat.${site}`;

interface Stored {
  token: string;
  conversationId: string;
  /** Sends not yet acked by the hub, retried after every reconnect. */
  outbox: { clientId: string; body: string }[];
}

function load(): Stored | null {
  try {
    return JSON.parse(localStorage.getItem(storeKey) ?? 'null') as Stored | null;
  } catch {
    return null;
  }
}
function save(s: Stored): void {
  try {
    localStorage.setItem(storeKey, JSON.stringify(s));
  } catch {
    // A full or blocked storage only costs the resume after a reload.
  }
}

const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> & { attrs?: Record<string, string> } = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] => {
  const { attrs, ...rest } = props;
  const node = Object.assign(document.createElement(tag), rest);
  for (const [k, v] of Object.entries(attrs ?? {})) node.setAttribute(k, v);
  node.append(...children);
  return node;
};
let uid = 0;
const id = (p: string) => `ieum-${p}-${++uid}`;
const newClientId = () =>
  typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now().toString(16)}-${Math.random().toString(16).slice(2)}`;

// ——— frame ———
const host = el('div', { attrs: { 'data-ieum-widget': '' } });
document.body.append(host);
const root = host.attachShadow({ mode: 'open' });
root.append(el('style', { textContent: WIDGET_CSS }));
const panelId = id('panel');
const launcher = el('button', {
  className: 'launcher',
  type: 'button',
  textContent: t.launcher,
  attrs: { 'aria-expanded': 'false', 'aria-controls': panelId },
});
const titleId = id('title');
const panel = el('section', {
  className: 'panel',
  id: panelId,
  hidden: true,
  attrs: { role: 'dialog', 'aria-labelledby': titleId, lang },
});
const closeBtn = el('button', {
  className: 'close',
  type: 'button',
  textContent: '×',
  attrs: { 'aria-label': t.close },
});
panel.append(el('header', {}, el('h2', { id: titleId, textContent: t.title }), closeBtn));
const body = el('div', { className: 'body' });
panel.append(body);
root.append(launcher, panel);

const toggle = (open: boolean) => {
  panel.hidden = !open;
  launcher.setAttribute('aria-expanded', String(open));
  if (open) (panel.querySelector('input, textarea') as HTMLElement | null)?.focus();
};
launcher.addEventListener('click', () => toggle(panel.hidden));
closeBtn.addEventListener('click', () => {
  toggle(false);
  launcher.focus();
});

// ——— pre-chat form ———
function field(label: string, input: HTMLInputElement | HTMLTextAreaElement): HTMLElement {
  input.id = id('f');
  return el('div', { className: 'field' }, el('label', { htmlFor: input.id, textContent: label }), input);
}

function showForm(): void {
  const name = el('input', { type: 'text', autocomplete: 'name', required: true, maxLength: 100 });
  const phone = el('input', { type: 'tel', autocomplete: 'tel', maxLength: 32 });
  const email = el('input', { type: 'email', autocomplete: 'email', maxLength: 320 });
  const first = el('textarea', { rows: 3, required: true, maxLength: 2000 });
  const consent = el('input', { type: 'checkbox', required: true, id: id('consent') });
  const detailId = id('consent-detail');
  consent.setAttribute('aria-describedby', detailId);
  const error = el('p', { className: 'error', attrs: { role: 'alert' } });
  const submit = el('button', { type: 'submit', className: 'primary', textContent: t.start });
  const form = el(
    'form',
    { noValidate: true },
    el('p', { className: 'intro', textContent: t.intro }),
    field(t.name, name),
    field(t.phone, phone),
    field(t.email, email),
    el('p', { className: 'hint', textContent: t.contactHint }),
    field(t.firstMessage, first),
    el(
      'div',
      { className: 'consent' },
      consent,
      el('label', { htmlFor: consent.id, textContent: t.consent }),
      el('p', { id: detailId, className: 'hint', textContent: t.consentDetail }),
    ),
    error,
    submit,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const problem = !name.value.trim()
      ? [t.needName, name]
      : !phone.value.trim() && !email.value.trim()
        ? [t.needContact, phone]
        : !first.value.trim()
          ? [t.needMessage, first]
          : !consent.checked
            ? [t.needConsent, consent]
            : null;
    if (problem) {
      error.textContent = problem[0] as string;
      (problem[1] as HTMLElement).focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = t.starting;
    void fetch(`${hub}/api/v1/webchat/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        site,
        ...(queue ? { queue } : {}),
        name: name.value.trim(),
        ...(phone.value.trim() ? { phone: phone.value.trim() } : {}),
        ...(email.value.trim() ? { email: email.value.trim() } : {}),
        consent: true,
        body: first.value.trim(),
        lang,
      }),
    })
      .then(async (res) => {
        const json = (await res.json()) as StartChatResponse & { message?: string; code?: string };
        if (!res.ok) throw new Error(json.code ?? 'failed');
        save({ token: json.token, conversationId: json.conversationId, outbox: [] });
        showChat();
        showStanding(json);
      })
      .catch(() => {
        error.textContent = t.failed;
        submit.disabled = false;
        submit.textContent = t.start;
      });
  });
  body.replaceChildren(form);
}

// ——— chat ———
let socket: Socket<HubToVisitorEvents, VisitorToHubEvents> | undefined;
let lastSeq = 0;
let resuming = false;
let statusLine: HTMLElement;
let typingLine: HTMLElement;
let log: HTMLOListElement;
let notice: HTMLElement;
let surveyBox: HTMLElement;
const rendered = new Map<string, HTMLLIElement>();

function showChat(): void {
  statusLine = el('p', { className: 'status', attrs: { role: 'status' } });
  typingLine = el('p', { className: 'typing', attrs: { 'aria-live': 'polite' } });
  log = el('ol', { className: 'log', attrs: { role: 'log', 'aria-label': t.log } });
  notice = el('p', { className: 'error', attrs: { role: 'alert' } });
  surveyBox = el('div');
  const text = el('textarea', { rows: 2, maxLength: 2000 });
  const file = el('input', {
    type: 'file',
    accept: 'image/png,image/jpeg,image/gif,image/webp,application/pdf',
  });
  const send = el('button', { type: 'submit', className: 'primary', textContent: t.send });
  const composer = el('form', { className: 'composer' }, field(t.message, text), field(t.attach, file), send);
  let typingSent = false;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  text.addEventListener('input', () => {
    if (!typingSent) socket?.emit('typing', { typing: true });
    typingSent = true;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => {
      typingSent = false;
      socket?.emit('typing', { typing: false });
    }, 2000);
  });
  text.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      composer.requestSubmit();
    }
  });
  composer.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const chosen = file.files?.[0];
    if (chosen) {
      void upload(chosen).then(() => (file.value = ''));
    }
    const value = text.value.trim();
    if (!value) return;
    text.value = '';
    clearTimeout(typingTimer);
    typingSent = false;
    queueSend({ clientId: newClientId(), body: value });
  });
  body.replaceChildren(statusLine, log, typingLine, notice, surveyBox, composer);
  connect();
}

function showStanding(s: QueueStanding): void {
  if (s.status === 'queued') {
    statusLine.textContent = t.queued(
      s.position,
      s.ewtSeconds === null ? null : Math.max(1, Math.ceil(s.ewtSeconds / 60)),
    );
  } else if (s.status === 'scheduled' || s.status === 'closed') {
    const when = s.opensAt
      ? t.opensAt(new Date(s.opensAt).toLocaleString(lang === 'en' ? 'en-US' : 'ko-KR'))
      : '';
    statusLine.textContent = [s.message ?? (s.status === 'closed' ? t.closed : t.scheduled), when]
      .filter(Boolean)
      .join(' ');
  } else if (s.status === 'resolved') {
    statusLine.textContent = t.resolved;
  }
}

function renderMessage(m: VisitorMessage, pending = false): void {
  const key = m.clientId ?? m.id;
  const existing = rendered.get(key);
  const li = el('li', { className: `msg ${m.direction}` });
  li.append(
    el('span', { className: 'who', textContent: m.direction === 'in' ? t.you : (m.author ?? t.agent) }),
  );
  // Text only: whatever HTML a message holds is shown, never run.
  const text = el('span', { className: 'text', textContent: m.body });
  li.append(text);
  if (m.attachment) {
    const href = `${hub}/api/v1/webchat/attachments/${m.attachment.id}?token=${encodeURIComponent(load()?.token ?? '')}`;
    const link = el('a', {
      href,
      target: '_blank',
      rel: 'noopener',
      textContent: `${t.attachment}: ${m.attachment.name}`,
    });
    li.append(link);
    if (m.attachment.contentType.startsWith('image/'))
      li.append(el('img', { src: href, alt: m.attachment.name }));
  }
  li.append(el('span', { className: 'state', textContent: pending ? t.sending : '' }));
  if (existing) existing.replaceWith(li);
  else log.append(li);
  rendered.set(key, li);
  li.scrollIntoView?.({ block: 'end' });
}

function markRead(upToSeq: number): void {
  for (const li of log.querySelectorAll<HTMLLIElement>('li.msg.in')) {
    const seq = Number(li.dataset.seq ?? 0);
    if (seq > 0 && seq <= upToSeq) li.querySelector('.state')!.textContent = t.read;
  }
}

function apply(e: VisitorEvent): void {
  if (e.seq <= lastSeq) return; // seen already: never shown twice
  if (e.seq > lastSeq + 1) {
    resume(); // a gap: fetch what is missing first
    return;
  }
  lastSeq = e.seq;
  switch (e.type) {
    case 'message.created': {
      renderMessage(e.payload);
      const li = rendered.get(e.payload.clientId ?? e.payload.id);
      if (li) li.dataset.seq = String(e.seq);
      if (e.payload.direction === 'out') typingLine.textContent = '';
      break;
    }
    case 'conversation.assigned':
      statusLine.textContent = t.assigned(e.payload.agentName);
      break;
    case 'conversation.resolved':
      statusLine.textContent = t.resolved;
      if (e.payload.surveyRequested) showSurvey(e.payload.survey ?? STANDARD_SURVEY);
      break;
    case 'conversation.reopened':
      statusLine.textContent = t.reopened;
      surveyBox.replaceChildren();
      break;
  }
  if (!document.hidden && !panel.hidden) socket?.emit('read', { upToSeq: lastSeq });
}

function resume(): void {
  if (resuming || !socket) return;
  resuming = true;
  socket.emit('session.resume', { afterSeq: lastSeq }, (r) => {
    resuming = false;
    if (!r.ok) return;
    for (const e of r.value.events) apply(e);
    markRead(r.value.agentReadSeq);
    if (r.value.headSeq > lastSeq) resume();
  });
}

function queueSend(item: { clientId: string; body: string }): void {
  const s = load();
  if (!s) return;
  s.outbox.push(item);
  save(s);
  renderMessage(
    {
      id: item.clientId,
      clientId: item.clientId,
      direction: 'in',
      body: item.body,
      author: null,
      attachment: null,
      createdAt: '',
    },
    true,
  );
  flush();
}

let flushing = false;
function flush(): void {
  const s = load();
  const next = s?.outbox[0];
  if (!socket?.connected || !next || flushing) return;
  flushing = true;
  socket.timeout(10_000).emit('message.send', next, (err: Error | null, r: Result<VisitorSendResult>) => {
    flushing = false;
    if (err) return; // no ack: retried after the next connect, same clientId
    const now = load();
    if (!now) return;
    if (!r.ok && r.error.code === 'RATE_LIMITED') {
      notice.textContent = t.rateLimited;
      setTimeout(flush, 1500);
      return;
    }
    now.outbox = now.outbox.filter((o) => o.clientId !== next.clientId);
    if (!r.ok) {
      notice.textContent = t.failed;
      rendered.get(next.clientId)?.remove();
    } else {
      notice.textContent = '';
      if (r.value.token && r.value.conversationId !== now.conversationId) {
        // The old chat was closed long ago: this message opened a new one.
        now.token = r.value.token;
        now.conversationId = r.value.conversationId;
        save(now);
        lastSeq = 0;
        if (socket) socket.auth = { token: now.token };
        socket?.disconnect().connect();
        return;
      }
      apply({
        seq: r.value.seq,
        type: 'message.created',
        payload: r.value.message,
        at: r.value.message.createdAt,
      });
    }
    save(now);
    flush();
  });
}

async function upload(f: File): Promise<void> {
  const s = load();
  if (!s) return;
  const clientId = newClientId();
  const res = await fetch(
    `${hub}/api/v1/webchat/attachments?name=${encodeURIComponent(f.name)}&clientId=${clientId}`,
    {
      method: 'POST',
      headers: { authorization: `Visitor ${s.token}`, 'content-type': 'application/octet-stream' },
      body: f,
    },
  ).catch(() => null);
  if (!res?.ok) {
    notice.textContent = res?.status === 429 ? t.rateLimited : t.fileRefused;
    return;
  }
  notice.textContent = '';
  const r = (await res.json()) as VisitorSendResult;
  apply({ seq: r.seq, type: 'message.created', payload: r.message, at: r.message.createdAt });
}

function connect(): void {
  const s = load();
  if (!s) return;
  socket?.disconnect();
  socket = io(`${hub}/visitor`, { auth: { token: s.token }, transports: ['websocket'] });
  socket.on('connect', () => {
    statusLine.dataset.offline = '';
    notice.textContent = '';
    resume();
    flush();
  });
  socket.on('disconnect', () => {
    notice.textContent = t.offline;
  });
  socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
    if (err.data?.code === 'UNAUTHENTICATED') {
      // The chat is gone (another hub, a wiped database): start over.
      localStorage.removeItem(storeKey);
      socket?.disconnect();
      showForm();
    }
  });
  socket.on('welcome', (w: VisitorWelcome) => {
    if (w.agentName && w.status === 'assigned') statusLine.textContent = t.assigned(w.agentName);
    else showStanding(w);
    if (w.surveyPending) showSurvey(w.survey ?? STANDARD_SURVEY);
    if (w.headSeq > lastSeq) resume();
  });
  socket.on('event', apply);
  socket.on('queue', showStanding);
  socket.on('typing', ({ typing }) => {
    typingLine.textContent = typing ? t.typing : '';
  });
  socket.on('read', ({ upToSeq }) => markRead(upToSeq));
}

// ——— survey ———
function scale(legend: string, hint: string, from: number, to: number, name: string): HTMLFieldSetElement {
  const set = el(
    'fieldset',
    {},
    el('legend', { textContent: legend }),
    el('p', { className: 'hint', textContent: hint }),
  );
  const row = el('div', { className: 'scale' });
  for (let v = from; v <= to; v++) {
    const input = el('input', { type: 'radio', name, value: String(v), id: id(name) });
    row.append(el('span', {}, input, el('label', { htmlFor: input.id, textContent: String(v) })));
  }
  set.append(row);
  return set;
}

/** A template's words in the widget's language (English falls back to Korean), else the standard words. */
const words = (text: SurveyText | null, standard: string) =>
  text ? (lang === 'en' ? (text.en ?? text.ko) : text.ko) : standard;

/** The survey the site's template asks: CSAT always, NPS and CES when it asks them. */
function showSurvey(asked: SurveyForm): void {
  if (surveyBox.childElementCount > 0) return;
  const headingId = id('survey');
  const error = el('p', { className: 'error', attrs: { role: 'alert' } });
  const form = el(
    'form',
    { className: 'survey', attrs: { 'aria-labelledby': headingId } },
    el('h3', { id: headingId, textContent: words(asked.title, t.survey) }),
    scale(words(asked.csat.text, t.csat), t.csatScale, 1, 5, 'csat'),
    ...(asked.nps ? [scale(words(asked.nps.text, t.nps), t.npsScale, 0, 10, 'nps')] : []),
    ...(asked.ces ? [scale(words(asked.ces.text, t.ces), t.cesScale, 1, 7, 'ces')] : []),
    error,
    el('button', { type: 'submit', className: 'primary', textContent: t.submit }),
  );
  const picked = (name: string) => {
    const v = form.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value;
    return v === undefined ? null : Number(v);
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const csat = picked('csat');
    if (csat === null) {
      error.textContent = t.needCsat;
      form.querySelector<HTMLInputElement>('input[name="csat"]')?.focus();
      return;
    }
    socket?.emit('survey.answer', { csat, nps: picked('nps'), ces: picked('ces') }, (r) => {
      if (r.ok || r.error.code === 'CONFLICT') {
        surveyBox.replaceChildren(
          el('p', { className: 'thanks', attrs: { role: 'status' }, textContent: t.thanks }),
        );
      } else error.textContent = t.failed;
    });
  });
  surveyBox.replaceChildren(form);
}

// ——— start ———
if (load()) showChat();
else showForm();
if (script?.dataset.open === 'true') toggle(true);
