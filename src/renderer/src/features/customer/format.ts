/** Dates and amounts in the panel, in the desk's language. */
export const formatDate = (iso: string, language: string): string =>
  new Intl.DateTimeFormat(language, { dateStyle: 'medium' }).format(new Date(iso));

export const formatDateTime = (iso: string, language: string): string =>
  new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

export const formatAmount = (won: number, language: string): string =>
  new Intl.NumberFormat(language, { maximumFractionDigits: 0 }).format(won);
