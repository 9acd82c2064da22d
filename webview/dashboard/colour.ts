// CSS colour strings from the theme made translucent, for canvas drawing (which cannot use CSS variables).

function hexToRgb(hex: string): [number, number, number, number] | undefined {
  const body = hex.slice(1);
  const expand = body.length <= 4 ? body.split('').map((c) => c + c).join('') : body;
  if (!/^[0-9a-f]{6}([0-9a-f]{2})?$/i.test(expand)) return undefined;
  const n = (i: number): number => parseInt(expand.slice(i, i + 2), 16);
  return [n(0), n(2), n(4), expand.length === 8 ? n(6) / 255 : 1];
}

/** `colour` with its opacity multiplied by `alpha`; hex and rgb()/rgba() colours are understood, others come back unchanged. */
export function withAlpha(colour: string, alpha: number): string {
  const text = colour.trim();
  let rgba: [number, number, number, number] | undefined;
  if (text.startsWith('#')) {
    rgba = hexToRgb(text);
  } else {
    const match = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)$/i.exec(text);
    if (match) {
      const a = match[4] === undefined ? 1 : match[4].endsWith('%') ? parseFloat(match[4]) / 100 : parseFloat(match[4]);
      rgba = [Number(match[1]), Number(match[2]), Number(match[3]), a];
    }
  }
  if (!rgba) return text;
  const [r, g, b, a] = rgba;
  return `rgba(${r}, ${g}, ${b}, ${Math.round(a * alpha * 1000) / 1000})`;
}
