// Order statistics over latency / size samples. Percentiles interpolate linearly between the
// two nearest ranks (the "type 7" definition), so p50 of an even-sized sample is the mean of
// the two middle values.

export function percentile(samples, p) {
  if (!samples.length) return null;
  const s = Float64Array.from(samples).sort();
  const pos = (s.length - 1) * (p / 100);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export const median = (samples) => percentile(samples, 50);

/** p50/p99/min/max/n of a sample, for the JSON output. */
export function summarize(samples) {
  if (!samples.length) return { n: 0 };
  return {
    n: samples.length,
    min: Math.min(...samples),
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    max: Math.max(...samples),
  };
}
