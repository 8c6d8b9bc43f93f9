/** lib/pq's QuoteIdentifier: double the quotes, cut at NUL, wrap in quotes. */
export function quoteIdent(name: string): string {
  const cut = name.indexOf('\x00');
  const clean = cut >= 0 ? name.slice(0, cut) : name;
  return `"${clean.replace(/"/g, '""')}"`;
}
