// Monaco from the local monaco-editor package — never a CDN: @monaco-editor/react's loader is given
// this module's monaco, and the editor's web workers are bundled by Vite (?worker). Loaded lazily,
// with the reward editor, so the page's first load does not pay for it.
import { loader } from '@monaco-editor/react';
import * as monaco from 'monaco-editor';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import TsWorker from 'monaco-editor/language/typescript/ts.worker?worker';
import { REWARD_API_DTS } from './rewardTemplates';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

window.MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    return label === 'typescript' || label === 'javascript' ? new TsWorker() : new EditorWorker();
  },
};

const js = monaco.typescript.javascriptDefaults;
js.setCompilerOptions({
  target: monaco.typescript.ScriptTarget.ES2020,
  allowNonTsExtensions: true,
  checkJs: true,
  // No DOM: the sandbox has none, so the editor should not suggest it.
  lib: ['es2020'],
});
js.addExtraLib(REWARD_API_DTS, 'file:///rlvr-lab/reward-api.d.ts');

loader.config({ monaco });

/** vs-dark with comments readable: its comment green (#608b4e on #1e1e1e, 4.2:1) is under WCAG AA's
 *  4.5:1 for text (axe color-contrast); the templates explain themselves in comments. */
export const EDITOR_THEME = 'rlvr-dark';
monaco.editor.defineTheme(EDITOR_THEME, {
  base: 'vs-dark',
  inherit: true,
  rules: [{ token: 'comment', foreground: '8cc27a' }],
  colors: {},
});

export { monaco };
