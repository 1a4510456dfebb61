/** Setup shared by the e2e tests that drive the built desk at a hub's /desk/. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { RECORD_PEER_CONNECTIONS } from './kamailio-webrtc';

const RENDERER_INDEX = resolve(import.meta.dirname, '../../out/renderer/index.html');

/** Fails fast, with the fix, when the desk has not been built. */
export function requireBuiltDesk(): void {
  if (!existsSync(RENDERER_INDEX)) {
    throw new Error(
      `${RENDERER_INDEX} is missing: build the desk first (npx electron-vite build; npm test does it)`,
    );
  }
}

/** A JSON client for `${hubUrl}/api/v1` with a bearer token read at each call. */
export function hubApi(hubUrl: () => string, token: () => string) {
  return async <T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${hubUrl()}/api/v1${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token()}`,
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
    });
    return { status: res.status, body: (await res.json()) as T };
  };
}

/** Opens the hub's browser desk in `page` and signs in (demo users share the password `demo`). */
export async function signIn(page: Page, hubUrl: string, username: string, password = 'demo'): Promise<void> {
  await page.goto(`${hubUrl}/desk/`);
  await page.getByLabel('아이디', { exact: true }).fill(username);
  await page.getByLabel('비밀번호', { exact: true }).fill(password);
  await page.getByRole('button', { name: '로그인', exact: true }).click();
}

/**
 * A desk for the phone tests: its own browser context (Korean, desktop size)
 * that records the calls' peer connections, signed in, its phone registered.
 * `prepare` runs on the context first (init scripts); the context is pushed to
 * `contexts` for the test's teardown.
 */
export async function openPhoneDesk(
  browser: Browser,
  hubUrl: string,
  username: string,
  contexts: BrowserContext[],
  prepare?: (context: BrowserContext) => Promise<void>,
): Promise<Page> {
  const context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1440, height: 900 } });
  contexts.push(context);
  if (prepare) await prepare(context);
  await context.addInitScript(RECORD_PEER_CONNECTIONS);
  const page = await context.newPage();
  await signIn(page, hubUrl, username);
  await page.getByRole('status', { name: '등록 상태' }).filter({ hasText: '등록됨' }).waitFor();
  return page;
}

/**
 * The customer's side of a web chat: opens the hub's demo widget in `page`,
 * fills in who they are and their question, consents and starts. Returns the
 * chat dialog.
 */
export async function startWidgetChat(
  page: Page,
  hubUrl: string,
  customer: { name: string; phone: string; question: string },
): Promise<Locator> {
  await page.goto(`${hubUrl}/widget/demo`);
  await page.getByRole('button', { name: '채팅 상담' }).click();
  const chat = page.getByRole('dialog', { name: '채팅 상담' });
  await chat.getByLabel('이름', { exact: true }).fill(customer.name);
  await chat.getByLabel('휴대전화 번호', { exact: true }).fill(customer.phone);
  await chat.getByLabel('문의 내용', { exact: true }).fill(customer.question);
  await chat.getByRole('checkbox', { name: /개인정보.*동의합니다/ }).check();
  await chat.getByRole('button', { name: '상담 시작' }).click();
  return chat;
}
