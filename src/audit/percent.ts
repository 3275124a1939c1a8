/** A share as a percentage with one decimal, which never shows 100% for less than everything. */
export function formatPercent(part: number, total: number): string {
  if (total === 0 || part === total) return '100%';
  const rounded = Math.round((part / total) * 1000) / 10;
  return `${rounded >= 100 ? '99.9' : rounded.toFixed(1).replace(/\.0$/, '')}%`;
}
