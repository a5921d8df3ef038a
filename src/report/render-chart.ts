import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Chart } from './chart-specs.ts';

// Renders chart specs in Node: Vega-Lite compiled to Vega, drawn by Vega's SVG renderer (no
// browser, no canvas), and SVG to PNG with resvg (a Rust rasteriser shipped as a prebuilt binary in
// the npm registry). The HTML report inlines the SVG, so it needs no script at all.

const CONFIG = {
  background: 'white',
  font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
  padding: 8,
  title: { anchor: 'start', fontSize: 14, fontWeight: 'bold', offset: 10 },
  axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 11 },
  view: { stroke: '#ddd' },
  concat: { spacing: 18 },
};

/** The chart as an SVG document; `withTitle` adds the title inside the image (for chart files). */
export async function chartToSvg(chart: Chart, withTitle = false): Promise<string> {
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...chart.spec,
    ...(withTitle ? { title: chart.title } : {}),
    config: CONFIG,
  } as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none', logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The SVG rasterised to PNG at `scale` (2: sharp on high-density screens). */
export function svgToPng(svg: string, scale = 2): Buffer {
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}

/**
 * The SVG with every id (clip paths, gradients) and its references prefixed, so several charts can
 * sit in one HTML page without one chart's `url(#clip1)` pointing into another.
 */
export function scopeSvgIds(svg: string, scope: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, `id="${scope}-$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${scope}-$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${scope}-$1"`);
}
