// Downloads for a chart: its series as CSV, and its picture as PNG. The PNG is the chart's own SVG
// serialised and drawn onto a canvas (no screenshot library): recharts draws strokes and tick fills as
// literal attributes, so the SVG renders the same outside the page's CSS.

export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoked later: some browsers start the download asynchronously after click().
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadCsv(csv: string, filename: string): void {
  downloadBlob(new Blob([csv], { type: 'text/csv;charset=utf-8' }), filename);
}

/** A safe file name from a metric id: letters, digits, dash and underscore only. */
export function fileStem(id: string): string {
  return `rlvr-${id.replace(/[^a-z0-9_-]+/gi, '_')}`;
}

/** The chart SVG (first one under `container`) as a PNG, on the panel colour, with a title line. */
export async function chartToPng(container: HTMLElement, title: string, background: string, textColor: string, scale = 2): Promise<Blob> {
  const svg = container.querySelector('svg.recharts-surface') ?? container.querySelector('svg');
  if (!svg) throw new Error('The chart has nothing drawn yet.');
  const { width, height } = svg.getBoundingClientRect();
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  clone.setAttribute('font-family', getComputedStyle(container).fontFamily || 'sans-serif');
  const markup = new XMLSerializer().serializeToString(clone);
  const url = URL.createObjectURL(new Blob([markup], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const image = new Image();
    image.decoding = 'async';
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('The chart SVG could not be drawn.'));
      image.src = url;
    });
    const titleHeight = 22;
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(width * scale);
    canvas.height = Math.ceil((height + titleHeight) * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('No 2D canvas available.');
    ctx.scale(scale, scale);
    ctx.fillStyle = background;
    ctx.fillRect(0, 0, width, height + titleHeight);
    ctx.fillStyle = textColor;
    ctx.font = `600 13px ${getComputedStyle(container).fontFamily || 'sans-serif'}`;
    ctx.fillText(title, 8, 15);
    ctx.drawImage(image, 0, titleHeight, width, height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed.'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}
