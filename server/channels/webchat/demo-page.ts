/** `/widget/demo`: a customer's web page with the widget embedded by one script tag. */
export function demoPage(o: { lang: 'ko' | 'en'; site: string }): string {
  const ko = o.lang === 'ko';
  return `<!doctype html>
<html lang="${o.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${ko ? '이음 쇼핑 — 고객센터' : 'Ieum Shop — Help'}</title>
<style>body{font-family:system-ui,sans-serif;margin:0;padding:40px;max-width:720px;color:#222}h1{color:#0b5cad}</style>
</head>
<body>
<main>
<h1>${ko ? '이음 쇼핑 고객센터' : 'Ieum Shop help center'}</h1>
<p>${ko ? '주문, 배송, 교환·환불 문의는 오른쪽 아래 채팅 상담을 이용해 주세요.' : 'For orders, delivery and refunds, use the chat at the bottom right.'}</p>
</main>
<script src="/widget.js" data-site="${o.site}" data-lang="${o.lang}" async></script>
</body>
</html>`;
}
