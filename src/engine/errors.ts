// Errors that name what went wrong in the user's terms (shapes, tensor ids), not the backend's.

export class ShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}

export class DisposedTensorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DisposedTensorError';
  }
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
