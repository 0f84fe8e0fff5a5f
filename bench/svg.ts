// A small grouped bar chart, log scale, as a standalone SVG.

export interface Group {
  label: string;
  values: number[];
}

const COLORS = ['#2b6cb0', '#a0aec0', '#38a169', '#dd6b20'];

export function barChart(title: string, groups: Group[], series: string[]): string {
  const width = 720;
  const height = 360;
  const left = 70;
  const bottom = 300;
  const top = 50;
  const max = Math.max(...groups.flatMap((g) => g.values), 1);
  const decades = Math.ceil(Math.log10(max));
  const y = (v: number) => bottom - (Math.log10(Math.max(v, 1)) / decades) * (bottom - top);
  const groupWidth = (width - left - 20) / groups.length;
  const barWidth = (groupWidth * 0.7) / series.length;
  const parts: string[] = [];
  parts.push(`<text x="${width / 2}" y="24" text-anchor="middle" font-size="16">${title}</text>`);
  for (let d = 0; d <= decades; d++) {
    const yy = y(10 ** d);
    parts.push(`<line x1="${left}" x2="${width - 20}" y1="${yy}" y2="${yy}" stroke="#e2e8f0"/><text x="${left - 6}" y="${yy + 4}" text-anchor="end" font-size="11">1e${d}</text>`);
  }
  groups.forEach((g, gi) => {
    const x0 = left + gi * groupWidth + groupWidth * 0.15;
    g.values.forEach((v, si) => {
      const x = x0 + si * barWidth;
      parts.push(`<rect x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${(bottom - y(v)).toFixed(1)}" fill="${COLORS[si % COLORS.length]}"/>`);
    });
    parts.push(`<text x="${(x0 + (barWidth * series.length) / 2).toFixed(1)}" y="${bottom + 18}" text-anchor="middle" font-size="12">${g.label}</text>`);
  });
  series.forEach((s, i) => {
    parts.push(`<rect x="${left + i * 170}" y="${height - 28}" width="12" height="12" fill="${COLORS[i % COLORS.length]}"/><text x="${left + i * 170 + 18}" y="${height - 18}" font-size="12">${s}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">\n${parts.join('\n')}\n</svg>\n`;
}
