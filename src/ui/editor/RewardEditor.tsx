// The Monaco editor for reward code (lazy-loaded: it pulls in Monaco and its workers).
import Editor from '@monaco-editor/react';
import { EDITOR_THEME } from './monacoSetup';

export default function RewardEditor({ value, onChange, readOnly = false }: { value: string; onChange: (code: string) => void; readOnly?: boolean }) {
  return (
    <div className="reward-editor" data-testid="reward-editor">
      <Editor
        height="260px"
        language="javascript"
        theme={EDITOR_THEME}
        path="file:///rlvr-lab/reward.js"
        value={value}
        onChange={(v) => onChange(v ?? '')}
        options={{
          readOnly,
          minimap: { enabled: false },
          fontSize: 13,
          lineNumbers: 'on',
          scrollBeyondLastLine: false,
          wordWrap: 'on',
          tabSize: 2,
          automaticLayout: true,
        }}
        loading={<p className="muted">Loading the editor…</p>}
      />
    </div>
  );
}
