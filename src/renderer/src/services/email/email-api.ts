/**
 * The hub's email view for the desk: each mail of an email conversation
 * (headers, the hub's sanitised HTML, quoted history, attachments) and the
 * attachments' bytes. Every call resolves to a `Result`.
 */
import { z } from 'zod';
import { API_PREFIX } from '@shared/api';
import { EmailView, emailAttachmentPath } from '@shared/email';
import { fail, ok, type Result } from '@shared/errors';
import { useSessionStore } from '@renderer/stores/session';
import { hubFetch, readJson } from '../api/api-client';

async function authorised(path: string): Promise<Result<Response>> {
  const { hubUrl, token } = useSessionStore.getState();
  if (!hubUrl || !token) return fail('UNAUTHENTICATED', 'not signed in');
  return hubFetch(`${hubUrl}${path}`, token);
}

export async function fetchEmailViews(conversationId: string): Promise<Result<EmailView[]>> {
  const r = await authorised(`${API_PREFIX}/conversations/${encodeURIComponent(conversationId)}/email`);
  return r.ok ? readJson(r.value, z.array(EmailView)) : r;
}

/** Downloads an attachment: fetched with the token (links cannot carry it), saved through an object URL. */
export async function downloadEmailAttachment(id: string, name: string): Promise<Result<null>> {
  const r = await authorised(emailAttachmentPath(id));
  if (!r.ok) return r;
  const url = URL.createObjectURL(await r.value.blob());
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.click();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return ok(null);
}
