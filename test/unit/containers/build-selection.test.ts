import { describe, expect, it } from 'vitest';
import { imagesToBuild } from '../../../src/containers/build-images.ts';
import { IMAGES, imagesForHost } from '../../../src/containers/catalog.ts';
import type { Hardware } from '../../../src/hardware/types.ts';

const host =
  (kind: Hardware['kind']): (() => Promise<Hardware>) =>
  async () => ({
    kind,
    count: kind === 'cpu' ? 0 : 1,
    cores: 1,
    devices: kind === 'cpu' ? [] : [{ name: kind, cores: 1 }],
  });

describe('build-containers with no image named', () => {
  it("builds the detected hardware's images, and says which", async () => {
    const lines: string[] = [];
    const print = (l: string) => lines.push(l);
    expect(await imagesToBuild([], { detect: host('cuda'), print })).toEqual([
      'gateway',
      'vllm-cuda',
      'triton-vllm',
      'triton-python',
      'triton-trtllm',
      'djl-vllm',
    ]);
    expect(await imagesToBuild([], { detect: host('neuron'), print })).toEqual(['gateway', 'vllm-neuron']);
    expect(await imagesToBuild([], { detect: host('cpu'), print })).toEqual(['sim', 'gateway']);
    expect(lines[2]).toBe(
      'detected no GPU or Neuron device: building sim, gateway (name images, or --all, for others)',
    );
  });

  it('named images and --all win over detection (which then never runs); unknown names are refused', async () => {
    const never = async (): Promise<Hardware> => {
      throw new Error('detection should not run');
    };
    expect(await imagesToBuild(['litellm'], { detect: never })).toEqual(['litellm']);
    expect(await imagesToBuild([], { all: true, detect: never })).toEqual(Object.keys(IMAGES));
    await expect(imagesToBuild(['vllm'], { detect: never })).rejects.toMatchObject({ code: 'UNKNOWN_IMAGE' });
  });

  it('every catalog image is built on some host or only on request (the runner, litellm)', () => {
    const built = new Set([...imagesForHost('cuda'), ...imagesForHost('neuron'), ...imagesForHost('cpu')]);
    expect(Object.keys(IMAGES).filter((n) => !built.has(n as keyof typeof IMAGES))).toEqual([
      'runner',
      'litellm',
    ]);
  });
});
