// A card's claims with their verdicts over seeds: the badge (shown / not shown / untestable / not
// recorded yet), the claim, and the numbers it rests on — the mean paired difference, its 95 % interval
// and the seeds — with the reason in the title, so a reader can check the verdict, not just trust it.
import type { JudgedClaim } from '../../experiment/galleryClaims';

const BADGES = {
  shown: { mark: '✓ shown', className: 'claim-seen' },
  'not shown': { mark: '✗ not shown', className: 'claim-not-seen' },
  untestable: { mark: '∅ untestable', className: 'claim-untestable' },
  pending: { mark: '… not recorded yet', className: 'claim-pending' },
} as const;

const fmt = (v: number) => (Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(3));

export function ClaimList({ claims }: { claims: readonly JudgedClaim[] }) {
  return (
    <ul className="gallery-claims">
      {claims.map((c) => {
        const badge = BADGES[c.verdict ?? 'pending'];
        return (
          <li key={c.id} data-verdict={c.verdict ?? 'pending'} data-testid="gallery-claim">
            <span className={badge.className}>{badge.mark}</span> {c.text}
            {c.verdict !== undefined && c.effect !== undefined && c.ci && (
              <span className="muted small" title={c.reason}>
                {' '}
                — A − B = {fmt(c.effect)}, 95 % CI [{fmt(c.ci[0])}, {fmt(c.ci[1])}], {c.seeds?.length} seeds. {c.reason}.
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
