// Two projects: `node` runs pure logic and the CPU backend; `browser` runs the WebGPU tests
// (*.gpu.test.ts) inside headless Chromium, where navigator.gpu is a real (SwiftShader) adapter.
import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { chromiumPath, chromiumWebGpuArgs } from './tools/chromium';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: ['src/**/*.gpu.test.ts'],
          testTimeout: 120_000,
          // Two files at a time, not vitest's default of cores − 1 (one file on a 2-core machine): most
          // files are single-threaded JavaScript, so a second core would otherwise idle beside them
          // (the learning test, the longest, runs alongside the rest instead of before them).
          maxWorkers: 2,
        },
      },
      {
        optimizeDeps: { include: ['zod', 'lz-string', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu'] },
        test: {
          name: 'browser',
          include: ['src/**/*.gpu.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 120_000,
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({ launchOptions: { executablePath: chromiumPath(), args: chromiumWebGpuArgs } }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
