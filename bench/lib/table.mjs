// Plain-text table: first row is the header, columns padded to their widest cell; columns
// listed in `right` are right-aligned (numbers).

export function formatTable(rows, { right = [] } = {}) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c] ?? '').length)));
  const line = (r) =>
    r
      .map((cell, c) => (right.includes(c) ? String(cell ?? '').padStart(widths[c]) : String(cell ?? '').padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  return [
    line(rows[0]),
    widths
      .map((w) => '-'.repeat(w))
      .join('  ')
      .trimEnd(),
    ...rows.slice(1).map(line),
  ].join('\n');
}

/** A value with its unit, precision picked by size: 0.142 ms, 12.4 ms, 180 ms, 84.1 MiB. */
export function fmt(value, unit) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  const digits = Math.abs(value) < 1 ? 3 : Math.abs(value) < 100 ? 1 : 0;
  return `${value.toFixed(digits)} ${unit}`;
}

export const fmtRatio = (r) => (r === null || r === undefined || !Number.isFinite(r) ? '—' : `${r.toFixed(2)}×`);
