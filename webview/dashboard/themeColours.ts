// Colours for canvas and SVG drawing, read from the editor theme's --vscode-* variables and read
// again when the theme changes (VS Code swaps the body class and the variables on <html>).
import type { LayerKind } from '../../src/protocol/dashboardView';

export interface ThemeColours {
  kind: 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';
  foreground: string;
  muted: string;
  background: string;
  border: string;
  grid: string;
  focus: string;
  /** Distinct series colours: blue, orange, green, red, purple, yellow. */
  series: string[];
  /** Heat map base colour. */
  heat: string;
  layerKinds: Record<LayerKind, string>;
  fontFamily: string;
  fontSize: number;
}

function cssVariable(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const value = style.getPropertyValue(name).trim();
  return value.length > 0 ? value : fallback;
}

export function themeKind(): ThemeColours['kind'] {
  const classes = document.body.classList;
  if (classes.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (classes.contains('vscode-high-contrast')) return 'high-contrast';
  return classes.contains('vscode-light') ? 'light' : 'dark';
}

export function readThemeColours(): ThemeColours {
  const style = getComputedStyle(document.documentElement);
  const kind = themeKind();
  const light = kind === 'light' || kind === 'high-contrast-light';
  const foreground = cssVariable(style, '--vscode-foreground', light ? '#333333' : '#cccccc');
  const muted = cssVariable(style, '--vscode-descriptionForeground', foreground);
  const blue = cssVariable(style, '--vscode-charts-blue', '#3794ff');
  const orange = cssVariable(style, '--vscode-charts-orange', '#d18616');
  const green = cssVariable(style, '--vscode-charts-green', '#89d185');
  const red = cssVariable(style, '--vscode-charts-red', '#f14c4c');
  const purple = cssVariable(style, '--vscode-charts-purple', '#b180d7');
  const yellow = cssVariable(style, '--vscode-charts-yellow', '#cca700');
  const border = cssVariable(style, '--vscode-contrastBorder', cssVariable(style, '--vscode-editorWidget-border', cssVariable(style, '--vscode-panel-border', muted)));
  return {
    kind,
    foreground,
    muted,
    background: cssVariable(style, '--vscode-editor-background', light ? '#ffffff' : '#1e1e1e'),
    border,
    grid: cssVariable(style, '--vscode-editorIndentGuide-background1', cssVariable(style, '--vscode-panel-border', border)),
    focus: cssVariable(style, '--vscode-focusBorder', blue),
    series: [blue, orange, green, red, purple, yellow],
    heat: blue,
    layerKinds: {
      input: muted,
      convolution: blue,
      pooling: purple,
      recurrent: orange,
      attention: red,
      normalisation: yellow,
      dense: green,
      activation: cssVariable(style, '--vscode-symbolIcon-functionForeground', purple),
      embedding: cssVariable(style, '--vscode-symbolIcon-variableForeground', blue),
      dropout: muted,
      reshape: muted,
      merge: cssVariable(style, '--vscode-symbolIcon-operatorForeground', foreground),
      other: muted,
    },
    fontFamily: cssVariable(style, '--vscode-font-family', 'sans-serif'),
    fontSize: parseFloat(cssVariable(style, '--vscode-font-size', '13')) || 13,
  };
}

/** Calls `listener` with fresh colours after every theme change; returns the unsubscribe function. */
export function onThemeChange(listener: (colours: ThemeColours) => void): () => void {
  let scheduled = false;
  const observer = new MutationObserver(() => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      listener(readThemeColours());
    });
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  return () => observer.disconnect();
}
