// Registers the @vscode-elements web components the sweep page uses (only these are bundled).
import '@vscode-elements/elements/dist/vscode-button/index.js';
