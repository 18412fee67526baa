// An eager tensor: a shape, a dtype and a reference-counted backend storage (so reshape is free).
// The only way to see its values is `await t.data()` — there is no hidden synchronisation.
import type { Backend, DType, Storage } from './backend';
import { EngineState, type ScopeOf, type TapeNodeOf } from './engine';
import { DisposedTensorError, formatShape, ShapeError } from './errors';
import { assertValidShape, sizeOf, type Shape } from './shape';

/** One recorded op of the tape (see engine.ts). */
export type TapeNode = TapeNodeOf<Tensor>;
export type Scope = ScopeOf<Tensor>;

/** The realm's engine state (engine.ts); made here so that engine.ts need not import Tensor. */
export const engine = new EngineState<Tensor>();

export function setBackend(backend: Backend): void {
  engine.backend = backend;
}

export function getBackend(): Backend {
  return engine.backend;
}

/** Shared by a tensor and its reshaped views; the storage is freed when the last one is disposed. */
class StorageRef {
  refs = 1;
  constructor(
    readonly backend: Backend,
    readonly storage: Storage,
  ) {}
}

export class Tensor {
  readonly id: number;
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Leaf parameters set this; op outputs inherit it from their inputs while recording. */
  requiresGrad = false;
  /** Accumulated gradient of a leaf after `backward`. Owned by the tensor: not tracked by scopes. */
  grad: Tensor | null = null;
  /** The tape node that produced this tensor (null for leaves). */
  creator: TapeNode | null = null;
  /** A short name for errors and checkpoints (e.g. "h0.attn.wq"). */
  name = '';
  private ref: StorageRef | null;

  /** @internal Use the factory functions (tensor, zeros, ...) or ops instead. */
  constructor(storage: Storage | StorageRef, shape: Shape, dtype: DType, backend: Backend = engine.backend) {
    assertValidShape(shape);
    this.ref = storage instanceof StorageRef ? storage : new StorageRef(backend, storage);
    if (this.ref.storage.size !== sizeOf(shape)) {
      throw new ShapeError(`Storage of ${this.ref.storage.size} elements cannot hold shape ${formatShape(shape)}.`);
    }
    this.id = engine.nextTensorId++;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    engine.scopes.at(-1)?.tracked.add(this);
  }

  get size(): number {
    return this.ref ? this.ref.storage.size : sizeOf(this.shape);
  }

  get rank(): number {
    return this.shape.length;
  }

  get isDisposed(): boolean {
    return this.ref === null;
  }

  get backend(): Backend {
    return this.live().backend;
  }

  /** The backend storage, for ops. Throws a clear error for a disposed tensor. */
  get storage(): Storage {
    return this.live().storage;
  }

  /** A tensor of another shape over the same storage (no copy). */
  view(shape: Shape): Tensor {
    const ref = this.live();
    ref.refs++;
    return new Tensor(ref, shape, this.dtype);
  }

  async data(): Promise<Float32Array | Int32Array> {
    const ref = this.live();
    return ref.backend.read(ref.storage);
  }

  /** Values as a plain array, for tests and small metrics. */
  async array(): Promise<number[]> {
    return Array.from(await this.data());
  }

  dispose(): void {
    if (!this.ref) return; // disposing twice is harmless; *using* a disposed tensor is the error
    const ref = this.ref;
    this.ref = null;
    if (--ref.refs === 0) ref.backend.free(ref.storage);
    for (const scope of engine.scopes) scope.tracked.delete(this);
    if (this.grad) {
      this.grad.dispose();
      this.grad = null;
    }
  }

  toString(): string {
    return `Tensor#${this.id}${this.name ? ` "${this.name}"` : ''} ${this.dtype}${formatShape(this.shape)}`;
  }

  private live(): StorageRef {
    if (!this.ref) {
      throw new DisposedTensorError(`${this.toString()} was disposed and cannot be used (was it created inside a tidy() that has ended?).`);
    }
    return this.ref;
  }
}
