import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { webviewPageHtml } from '../../../../src/extension/webviews/webviewPage';

const uri = (path: string) => ({ path, toString: () => `file://${path}` }) as unknown as vscode.Uri;
const webview = {
  cspSource: 'https://webview.example',
  asWebviewUri: (u: vscode.Uri) => ({ toString: () => `https://webview.example${u.path}` }),
} as unknown as vscode.Webview;

function page(title = 'run <b>"1"</b>') {
  return webviewPageHtml(webview, {
    script: uri('/ext/dist/app.js'), style: uri('/ext/media/app.css'), title, loadingText: `Loading ${title}`,
    data: { view: 'run', 'run-ids': JSON.stringify(['a"b']) },
  });
}

test('the page allows nothing but its own nonce-tagged script and same-origin styles, images and fonts', () => {
  const html = page();
  const csp = /Content-Security-Policy" content="([^"]+)"/.exec(html)![1];
  const nonce = /script-src 'nonce-([^']+)'/.exec(csp)![1];
  assert.match(csp, /^default-src 'none'; /);
  assert.match(csp, /style-src https:\/\/webview\.example; /);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  const scripts = [...html.matchAll(/<script([^>]*)>/g)];
  assert.equal(scripts.length, 1);
  assert.match(scripts[0][1], new RegExp(`nonce="${nonce.replace(/[+/]/g, '\\$&')}" src="https://webview.example/ext/dist/app.js"`));
});

test('every load gets a fresh nonce', () => {
  const nonceOf = (html: string) => /nonce-([^']+)'/.exec(html)![1];
  assert.notEqual(nonceOf(page()), nonceOf(page()));
});

test('titles and data attributes are escaped', () => {
  const html = page();
  assert.ok(!html.includes('<b>'));
  assert.match(html, /<title>run &lt;b&gt;&quot;1&quot;&lt;\/b&gt;<\/title>/);
  assert.match(html, /data-run-ids="\[&quot;a\\&quot;b&quot;\]"/);
});
