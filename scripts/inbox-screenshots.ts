/**
 * Takes the inbox screenshots of docs/agent-guide.md from the running desk:
 * a demo hub, agent1 in Debian's Chromium with two conversations open as tabs,
 * then a Korean search. `node --import tsx scripts/inbox-screenshots.ts`
 * (build the desk first: npx electron-vite build).
 */
import { resolve } from 'node:path';
import { launchChromium } from '../tests/support/chromium';
import { startHub } from '../tests/support/hub';

const OUT = resolve(import.meta.dirname, '../docs/img');

async function main() {
  const hub = await startHub({ demo: true });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ locale: 'ko-KR', viewport: { width: 1440, height: 860 } });
    await page.goto(`${hub.url}/desk/`);
    await page.getByLabel('아이디', { exact: true }).fill('agent1');
    await page.getByLabel('비밀번호', { exact: true }).fill('demo');
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    const list = page.getByRole('listbox', { name: '상담 목록' });
    await list.getByRole('option').nth(2).waitFor();
    await list.getByRole('option').nth(1).click();
    await list.getByRole('option').nth(0).click();
    await page.getByRole('list', { name: '메시지' }).getByRole('listitem').first().waitFor();
    await page.screenshot({ path: `${OUT}/inbox.png` });
    await page.getByLabel('메시지 검색', { exact: true }).fill('배송');
    await page.getByRole('listbox', { name: '검색 결과' }).getByRole('option').first().waitFor();
    await page.screenshot({ path: `${OUT}/inbox-search.png` });
  } finally {
    await browser.close();
    await hub.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
