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

export { monaco };
