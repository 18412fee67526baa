// "Open in the lab" from an embedded page: the same experiment (the hash, kept current) in the full
// lab, in a new tab — an iframe is too small for the config and the runs.
import { shareUrl, useConfigStore } from '../../state/configStore';
import { labUrl } from './appMode';

export function OpenInLabLink() {
  useConfigStore((s) => s.config); // the link follows the experiment as it changes
  return (
    <a className="open-in-lab" data-testid="open-in-lab" href={labUrl(shareUrl())} target="_blank" rel="noopener">
      Open in the lab ↗
    </a>
  );
}
