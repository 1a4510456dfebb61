/**
 * A customer's HTML mail made safe to show in the desk: no script, no event
 * handlers, no forms or frames, links that open outside, and no remote
 * images (a remote image is a read receipt the customer's sender gets);
 * inline images (`cid:`) are pointed at the hub's stored attachment.
 * Quoted history (a reply's earlier mails) is split off so the desk can
 * show it collapsed.
 */
import sanitizeHtml from 'sanitize-html';

const ALLOWED_TAGS = [
  ...sanitizeHtml.defaults.allowedTags,
  'img',
  'span',
  'font',
  'center',
  'u',
  's',
  'del',
  'ins',
  'small',
  'big',
  'sub',
  'sup',
];

/**
 * @param inline maps a `cid:` content id to the URL the desk loads it from;
 * an image with any other source is replaced by its alt text.
 */
export function sanitizeEmailHtml(html: string, inline: (cid: string) => string | null = () => null): string {
  return sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
      a: ['href', 'title', 'target', 'rel'],
      img: ['src', 'alt', 'width', 'height'],
      '*': ['style', 'align', 'dir', 'lang', 'colspan', 'rowspan', 'bgcolor', 'color', 'size', 'face'],
    },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['cid'] },
    // Styles stay (mail layout depends on them) but never load anything.
    allowedStyles: {
      '*': {
        color: [/^[#a-z0-9(),.%\s]+$/i],
        'background-color': [/^[#a-z0-9(),.%\s]+$/i],
        'text-align': [/^(left|right|center|justify)$/],
        'font-weight': [/^[a-z0-9]+$/],
        'font-style': [/^[a-z]+$/],
        'font-size': [/^[\d.]+(px|pt|em|rem|%)$/],
        'text-decoration': [/^[a-z\s-]+$/],
        width: [/^[\d.]+(px|%)$/],
        padding: [/^[\d.\spx]+$/],
        margin: [/^[\d.\spx]+$/],
        border: [/^[\d.a-z#\s]+$/i],
      },
    },
    transformTags: {
      a: (tagName, attribs) => ({
        tagName,
        attribs: { ...attribs, target: '_blank', rel: 'noopener noreferrer' },
      }),
      img: (tagName, attribs): sanitizeHtml.Tag => {
        const src = attribs.src ?? '';
        const url = src.toLowerCase().startsWith('cid:') ? inline(src.slice(4)) : null;
        // A blocked image leaves its alt text, so the layout still makes sense.
        if (!url) return { tagName: 'span', attribs: {}, text: attribs.alt ?? '' };
        return { tagName, attribs: { ...attribs, src: url } };
      },
    },
    allowedSchemesAppliedToAttributes: ['href', 'cite'],
    nonTextTags: ['style', 'script', 'textarea', 'option', 'noscript', 'title', 'head'],
  });
}

/** Markers mail clients put around quoted history (Gmail, Outlook, Apple Mail, Thunderbird, Naver, Daum). */
const QUOTE_CONTAINER =
  /<(blockquote|div)\b[^>]*(?:class="[^"]*(?:gmail_quote|yahoo_quoted|moz-cite-prefix)[^"]*"|id="(?:divRplyFwdMsg|appendonsend)"|type="cite")[^>]*>/i;

/**
 * Splits a mail's HTML at the first quoted-history marker: what the customer
 * wrote now, and the rest. Runs before sanitising (the markers are classes);
 * it only finds a position, and each half is sanitised on its own.
 */
export function splitQuotedHtml(html: string): { main: string; quoted: string | null } {
  const m = QUOTE_CONTAINER.exec(html) ?? /<blockquote\b[^>]*>/i.exec(html);
  if (!m || m.index === 0) return { main: html, quoted: null };
  return { main: html.slice(0, m.index), quoted: html.slice(m.index) };
}

/** Lines that start quoted history in a plain-text mail. */
const TEXT_QUOTE_HEADER = [
  /^On .{4,200} wrote:\s*$/,
  /^-{2,}\s*(Original Message|원본 메시지|Forwarded message)\s*-{2,}\s*$/i,
  /^.{4,200}(님이 작성|작성:|wrote:)\s*$/,
  /^(From|보낸 사람|보낸사람):\s.+$/,
];

/** Splits a plain-text body at its quoted history (a quote header, or the first run of `>` lines). */
export function splitQuotedText(text: string): { main: string; quoted: string | null } {
  const lines = text.split(/\r?\n/);
  let cut = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (TEXT_QUOTE_HEADER.some((r) => r.test(line)) || line.startsWith('>')) {
      cut = i;
      break;
    }
  }
  if (cut <= 0) return { main: text.trim(), quoted: null };
  return { main: lines.slice(0, cut).join('\n').trim(), quoted: lines.slice(cut).join('\n').trim() };
}
