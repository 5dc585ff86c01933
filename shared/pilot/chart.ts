/**
 * The brief's and report's one chart: land brought back into use (盘活, 亩) per redevelopment mode
 * per half year, as stacked columns. Drawn as SVG text here and rasterised to PNG with
 * @resvg/resvg-js from one CJK font file (no system font lookup, so the picture is the same on
 * every machine that has the font).
 */
import { existsSync } from 'node:fs';
import { MODES, type Mode } from '../lists';
import type { HalfYearModeArea } from './progress';

/** Font files tried in order when none is given (the first that exists is used). */
export const CJK_FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf',
  'C:\\Windows\\Fonts\\simhei.ttf',
  '/System/Library/Fonts/PingFang.ttc',
];

export const MODE_COLOURS: Record<Mode, string> = {
  因地招商: '#4472C4',
  技改升级: '#ED7D31',
  整合重组: '#A5A5A5',
  收储出让: '#FFC000',
  综合施策: '#70AD47',
};

/** Families named in the SVG: whichever the given font file holds. */
export const CHART_FAMILIES = "'WenQuanYi Zen Hei', 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Droid Sans Fallback', SimHei, 'PingFang SC', sans-serif";

export const CHART_WIDTH = 1200;
export const CHART_HEIGHT = 640;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A round axis step giving 4–8 ticks up to `max`. */
function niceStep(max: number): number {
  if (max <= 0) return 1;
  const raw = max / 5;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const f of [1, 2, 2.5, 5, 10]) if (f * p >= raw) return f * p;
  return 10 * p;
}

/** The chart as SVG text (fonts named by `family`). */
export function revitalisedChartSvg(series: readonly HalfYearModeArea[], family = CHART_FAMILIES): string {
  const W = CHART_WIDTH;
  const H = CHART_HEIGHT;
  const left = 110;
  const right = 40;
  const top = 80;
  const bottom = 110;
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const totals = series.map((s) => MODES.reduce((x, m) => x + s.areaMu[m], 0));
  const max = Math.max(0, ...totals);
  const step = niceStep(max);
  const ticks = Math.max(1, Math.ceil(max / step));
  const yMax = ticks * step;
  const y = (v: number) => top + plotH - (v / yMax) * plotH;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${esc(family).replace(/"/g, '&quot;')}">`);
  out.push(`<rect width="${W}" height="${H}" fill="#FFFFFF"/>`);
  out.push(`<text x="${left}" y="50" font-size="24" text-anchor="middle" fill="#333">亩</text>`);
  for (let i = 0; i <= ticks; i++) {
    const v = i * step;
    const yy = y(v);
    out.push(`<line x1="${left}" y1="${yy}" x2="${W - right}" y2="${yy}" stroke="${i === 0 ? '#000' : '#D9D9D9'}" stroke-width="${i === 0 ? 2 : 1}"/>`);
    out.push(`<text x="${left - 12}" y="${yy + 8}" font-size="22" text-anchor="end" fill="#333">${Number(v.toFixed(2))}</text>`);
  }
  const slot = plotW / Math.max(1, series.length);
  const barW = Math.min(90, slot * 0.6);
  series.forEach((s, i) => {
    const cx = left + slot * (i + 0.5);
    let acc = 0;
    for (const m of MODES) {
      const v = s.areaMu[m];
      if (v <= 0) continue;
      const y0 = y(acc);
      const y1 = y(acc + v);
      out.push(`<rect x="${cx - barW / 2}" y="${y1}" width="${barW}" height="${y0 - y1}" fill="${MODE_COLOURS[m]}"/>`);
      acc += v;
    }
    if (totals[i] > 0) out.push(`<text x="${cx}" y="${y(totals[i]) - 10}" font-size="22" text-anchor="middle" fill="#000">${Number(totals[i].toFixed(2))}</text>`);
    out.push(`<text x="${cx}" y="${top + plotH + 34}" font-size="22" text-anchor="middle" fill="#000">${esc(s.label)}</text>`);
  });
  // legend
  const lw = W / MODES.length;
  MODES.forEach((m, i) => {
    const x = lw * i + lw / 2 - 60;
    const yy = H - 36;
    out.push(`<rect x="${x}" y="${yy - 20}" width="26" height="26" fill="${MODE_COLOURS[m]}"/>`);
    out.push(`<text x="${x + 36}" y="${yy}" font-size="24" fill="#000">${esc(m)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

/** The first CJK font file that exists, or null. */
export function findCjkFont(candidates: readonly string[] = CJK_FONT_CANDIDATES): string | null {
  return candidates.find((f) => existsSync(f)) ?? null;
}

/**
 * Rasterises the chart to PNG. With a font file only that font is loaded (deterministic); with
 * none found the system fonts are used as a fallback.
 */
export function revitalisedChartPng(series: readonly HalfYearModeArea[], fontFile: string | null = findCjkFont()): Uint8Array {
  // loaded when a chart is drawn: the native module is not needed by the rest of the CLI
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Resvg } = require('@resvg/resvg-js') as typeof import('@resvg/resvg-js');
  const svg = revitalisedChartSvg(series);
  const r = new Resvg(svg, {
    font: fontFile ? { fontFiles: [fontFile], loadSystemFonts: false } : { loadSystemFonts: true },
    fitTo: { mode: 'original' },
  });
  return r.render().asPng();
}
