// The line under the top bar while a card's arms run one after another ("Run all arms"): which arm of
// how many is running, its label, and Stop (the running arm stops, the rest never start); then how the
// queue ended, until it is dismissed or the next one starts.
import { useArmQueue } from '../../state/armQueue';

export function ArmQueueStatus() {
  const queue = useArmQueue((s) => s.queue);
  const outcome = useArmQueue((s) => s.outcome);
  if (queue) {
    const arm = queue.arms[queue.index];
    return (
      <div className="arm-queue" role="status" data-testid="arm-queue" data-arm={queue.index + 1} data-arms={queue.arms.length}>
        <span>
          Running all arms of <strong>{queue.title}</strong>: arm {queue.index + 1} of {queue.arms.length} — {arm.label}
          {queue.index + 1 < queue.arms.length && <span className="muted"> (then {queue.arms.slice(queue.index + 1).map((a) => a.label.split(' · ')[0]).join(', ')})</span>}
        </span>
        <button type="button" className="small-button" data-testid="arm-queue-stop" onClick={() => useArmQueue.getState().stop()}>
          ■ Stop the queue
        </button>
      </div>
    );
  }
  if (!outcome) return null;
  return (
    <div className="arm-queue" role="status" data-testid="arm-queue-outcome">
      <span>{outcome}</span>
      <button type="button" className="small-button" aria-label="Dismiss" onClick={() => useArmQueue.setState({ outcome: null })}>
        ✕
      </button>
    </div>
  );
}
