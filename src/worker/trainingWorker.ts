// The training worker's entry: wires the TrainingSession to postMessage. All logic is in the session.
/// <reference lib="webworker" />
import { RewardSandbox } from '../rewards/sandbox/rewardSandbox';
import { fetchCheckpointLoader } from './checkpointLoader';
import { isTrainingCommand, type TrainingEvent } from './protocol';
import { TrainingSession } from './trainingSession';

const scope = self as unknown as DedicatedWorkerGlobalScope;

// public/checkpoints/ is served at <base>checkpoints/ (Vite's BASE_URL, '/' unless configured).
const checkpointsUrl = new URL(`${import.meta.env.BASE_URL}checkpoints/`, scope.location.origin).href;

const session = new TrainingSession({
  emit: (event: TrainingEvent, transfer?: Transferable[]) => scope.postMessage(event, transfer ?? []),
  loadCheckpoint: fetchCheckpointLoader(checkpointsUrl),
  // User reward code runs in its own worker (nested in this one), never in this realm.
  createCodeRewardRunner: () => new RewardSandbox(),
});

scope.addEventListener('message', (e: MessageEvent<unknown>) => {
  if (isTrainingCommand(e.data)) void session.handle(e.data);
  else scope.postMessage({ type: 'log', message: `The training worker ignored a message that is not a command.` } satisfies TrainingEvent);
});

void session.init().catch((e: Error) =>
  scope.postMessage({ type: 'error', runId: null, kind: 'internal', message: `The training worker could not start: ${e.message}` } satisfies TrainingEvent),
);
