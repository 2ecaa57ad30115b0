/**
 * The first and last day a date bound of YYYY, YYYY-MM or YYYY-MM-DD can mean (`2024` →
 * 2024-01-01 … 2024-12-31, `2024-02` → 2024-02-01 … 2024-02-29), for the dashboard's and the
 * export's date filters. The last day of a month is its real one: PostgreSQL compares a date
 * column with a date, and 2021-11-31 is none. Callers validate the shape first.
 */
export function periodStart(value: string): string {
  const [y, mo = '01', d = '01'] = value.split('-');
  return `${y}-${mo}-${d}`;
}

export function periodEnd(value: string): string {
  const [y, mo, d] = value.split('-');
  if (d !== undefined) return value;
  if (mo === undefined) return `${y}-12-31`;
  return `${y}-${mo}-${String(new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate()).padStart(2, '0')}`;
}
