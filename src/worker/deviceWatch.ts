// The session's backend and the watch on its device: which backend is current, whether its device is
// gone, and — for a step that failed without saying why — whether the device's `lost` signal arrives
// within a short grace (a readback can fail a moment before the signal does).
import type { Backend } from '../engine';
import { setBackend } from '../engine';
import { selectBackend, type BackendFactory, type SelectedBackend } from './backendSelection';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class DeviceWatch {
  private backend: Backend | null = null;
  /** Settles when the current backend's device is lost (never, for a backend without one). */
  private lostSignal: Promise<void> = new Promise(() => {});

  constructor(private readonly factory: BackendFactory = selectBackend) {}

  get ready(): boolean {
    return this.backend !== null;
  }

  /** A new backend, made current for the engine; `onLost` hears of its device's loss (once). */
  async bringUp(onLost: (reason: string) => void): Promise<SelectedBackend> {
    const selected = await this.factory();
    const backend = selected.backend;
    this.backend = backend;
    setBackend(backend);
    const lost = selected.lost ?? new Promise<string>(() => {});
    this.lostSignal = lost.then(() => undefined);
    void lost.then((reason) => {
      if (this.backend === backend) onLost(reason);
    });
    return selected;
  }

  /** The current backend says its device is gone. */
  isLost(): boolean {
    return (this.backend as { isLost?: boolean } | null)?.isLost === true;
  }

  /** How long a failure is given for the device's lost signal: long for an error that looks like a
   *  dying device (a failed readback: on SwiftShader the signal came ~0.8 s after the mapAsync
   *  rejection), short for anything else (a bug should pause the run at once). */
  static graceFor(error: unknown, shortMs = 250, longMs = 5000): number {
    const message = error instanceof Error ? `${error.name} ${error.message}` : String(error);
    return /mapAsync|readback|destroyed|device (is |was )?lost|OperationError|AbortError/i.test(message) ? longMs : shortMs;
  }

  /** Whether the device is lost now or its signal arrives within `ms`. */
  lostWithin(ms: number): Promise<boolean> {
    if (this.isLost()) return Promise.resolve(true);
    return Promise.race([this.lostSignal.then(() => true), sleep(ms).then(() => this.isLost())]);
  }

  /** Destroys the GPU device as a driver reset would; false on a backend without one. */
  destroyDevice(): boolean {
    const device = (this.backend as { device?: GPUDevice } | null)?.device;
    device?.destroy();
    return device !== undefined;
  }
}
