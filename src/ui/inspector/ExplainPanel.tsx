// "Explain this number": the panel under a sample whose token was clicked (or chosen with Enter). It
// sits in the inspector's flow, under the sample's chips, so it pushes the list down instead of covering
// anything; Escape or its Close button shuts it and gives focus back to the token.
import { useEffect, useRef } from 'react';
import type { InspectedSample } from '../../rl/metrics';
import { explainView, num, regionText } from './explainLines';
import { tokenText } from './tokenColors';

interface Props {
  id: string;
  sample: InspectedSample;
  tokenIndex: number;
  step: number | undefined;
  onClose: () => void;
}

export function ExplainPanel({ id, sample, tokenIndex, step, onClose }: Props) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), [tokenIndex, sample]);
  const token = sample.tokens[tokenIndex];
  const detail = sample.lossDetail;
  const view = detail && tokenIndex < detail.logProbs.length ? explainView(detail, tokenIndex) : null;
  const headingId = `${id}-heading`;
  return (
    <section
      id={id}
      className="explain-panel"
      data-testid="explain-panel"
      aria-labelledby={headingId}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="explain-head">
        <h3 id={headingId} ref={headingRef} tabIndex={-1}>
          Explain this number: token {JSON.stringify(tokenText(token).text)} (#{tokenIndex + 1}
          {step !== undefined ? `, step ${step}` : ''})
        </h3>
        <button type="button" className="small-button" data-testid="explain-close" onClick={onClose}>
          Close
        </button>
      </div>
      {view === null ? (
        <p className="muted">This step kept no loss detail for its tokens (it was recorded before the inspector explained them).</p>
      ) : (
        <>
          <dl className="explain-values">
            {view.inputs.map((v) => (
              <div key={v.id} className="explain-value">
                <dt>{v.label}</dt>
                <dd data-testid={`explain-${v.id}`} data-value={v.value}>
                  {num(v.value)}
                </dd>
              </div>
            ))}
            <div className="explain-value wide">
              <dt>clip region</dt>
              <dd data-testid="explain-region" data-region={view.region}>
                {regionText(view.region)}
              </dd>
            </div>
          </dl>
          <ol className="explain-lines" aria-label="the loss of this token, as configured">
            {view.lines.map((l) => (
              <li key={l.id} data-testid={`explain-line-${l.id}`} data-value={l.result}>
                <span className="explain-formula">{l.formula}</span>
                <span className="explain-substituted">
                  {' '}= {l.substituted} = <strong>{num(l.result)}</strong>
                </span>
              </li>
            ))}
          </ol>
          <ul className="explain-notes muted">
            {view.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
