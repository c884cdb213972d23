export interface HistogramOptions {
  title: string;
  xLabel: string;
  bins?: number;
  markers?: Array<{ value: number; label: string }>;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A dependency-free SVG histogram; the x axis runs from 0 to the largest value (or marker) seen. */
export function histogramSvg(values: readonly number[], opts: HistogramOptions): string {
  const W = 820;
  const H = 420;
  const m = { l: 64, r: 24, t: 48, b: 64 };
  const bins = opts.bins ?? 50;
  const hi = Math.max(1, ...values, ...(opts.markers ?? []).map((k) => k.value)) * 1.02;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor((v / hi) * bins)))]! += 1;
  const top = Math.max(1, ...counts);
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const x = (v: number) => m.l + (v / hi) * pw;
  const y = (c: number) => m.t + ph - (c / top) * ph;
  const bw = pw / bins;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${esc(opts.title)}</text>`,
  ];
  counts.forEach((c, i) => {
    if (c > 0)
      parts.push(
        `<rect x="${(m.l + i * bw + 0.5).toFixed(1)}" y="${y(c).toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${(m.t + ph - y(c)).toFixed(1)}" fill="#4a7fb5"><title>${Math.round((i * hi) / bins)}–${Math.round(((i + 1) * hi) / bins)}: ${c}</title></rect>`,
      );
  });
  parts.push(
    `<line x1="${m.l}" y1="${m.t + ph}" x2="${m.l + pw}" y2="${m.t + ph}" stroke="#333"/>`,
    `<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${m.t + ph}" stroke="#333"/>`,
  );
  for (let t = 0; t <= 5; t++) {
    const v = (hi * t) / 5;
    const c = Math.round((top * t) / 5);
    parts.push(`<text x="${x(v).toFixed(1)}" y="${m.t + ph + 18}" text-anchor="middle">${Math.round(v)}</text>`);
    parts.push(`<text x="${m.l - 8}" y="${(y(c) + 4).toFixed(1)}" text-anchor="end">${c}</text>`);
  }
  parts.push(`<text x="${m.l + pw / 2}" y="${H - 20}" text-anchor="middle">${esc(opts.xLabel)}</text>`);
  parts.push(`<text transform="translate(18 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle">tickets</text>`);
  (opts.markers ?? []).forEach((k, i) => {
    parts.push(
      `<line x1="${x(k.value).toFixed(1)}" y1="${m.t}" x2="${x(k.value).toFixed(1)}" y2="${m.t + ph}" stroke="#c0392b" stroke-dasharray="4 3"/>`,
    );
    parts.push(`<text x="${(x(k.value) - 4).toFixed(1)}" y="${m.t + 14 + i * 14}" text-anchor="end" fill="#c0392b">${esc(k.label)}</text>`);
  });
  parts.push('</svg>', '');
  return parts.join('\n');
}
