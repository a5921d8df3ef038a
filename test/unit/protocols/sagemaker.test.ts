import { describe, expect, it } from 'vitest';
import { protocolForUrl } from '../../../src/protocols/detect.ts';
import { EventStreamFrames } from '../../../src/protocols/sagemaker/event-stream-frames.ts';
import {
  invokeUrl,
  parseSageMakerUrl,
  runtimeBaseUrl,
} from '../../../src/protocols/sagemaker/sagemaker-url.ts';
import { payloadPart, streamException } from '../../helpers/sagemaker-server.ts';

describe('sagemaker:// URLs', () => {
  it('parse the endpoint name and region; the runtime URL follows the region or the override', () => {
    expect(parseSageMakerUrl('sagemaker://My-Ep-1?region=eu-west-1')).toEqual({
      name: 'My-Ep-1',
      region: 'eu-west-1',
    });
    expect(parseSageMakerUrl('sagemaker://ep')).toEqual({ name: 'ep', region: undefined });
    expect(invokeUrl(runtimeBaseUrl('eu-west-1', undefined), 'ep', true)).toBe(
      'https://runtime.sagemaker.eu-west-1.amazonaws.com/endpoints/ep/invocations-response-stream',
    );
    expect(invokeUrl(runtimeBaseUrl('x', 'http://127.0.0.1:9/'), 'ep', false)).toBe(
      'http://127.0.0.1:9/endpoints/ep/invocations',
    );
    expect(protocolForUrl('sagemaker://ep')).toBe('invocations');
  });

  it.each(['sagemaker://', 'sagemaker://bad_name', 'sagemaker://ep/path', 'http://ep'])(
    'refuses %s with the fix',
    (url) => {
      expect(() => parseSageMakerUrl(url)).toThrow(/not a SageMaker endpoint URL/);
    },
  );
});

describe('EventStreamFrames', () => {
  function read(bytes: Buffer, cuts: number[]) {
    const payloads: string[] = [];
    const errors: string[] = [];
    const frames = new EventStreamFrames({
      payload: (b) => payloads.push(Buffer.from(b).toString()),
      exception: (type, message) => errors.push(`${type}: ${message}`),
    });
    let at = 0;
    for (const cut of [...cuts, bytes.length]) {
      // Borrowed bytes: the buffer is overwritten after each push, as the raw client's read buffer is.
      const piece = Buffer.from(bytes.subarray(at, cut));
      frames.push(piece, 0, piece.length);
      piece.fill(0);
      at = cut;
    }
    frames.end();
    return { payloads, errors };
  }

  it('splits messages cut anywhere, even inside the length prelude', () => {
    const stream = Buffer.concat([payloadPart('one\n'), payloadPart('two\n'), payloadPart('three\n')]);
    for (const cuts of [[], [1], [2, 3, 50], Array.from({ length: stream.length - 1 }, (_, i) => i + 1)]) {
      expect(read(stream, cuts)).toEqual({ payloads: ['one\n', 'two\n', 'three\n'], errors: [] });
    }
  });

  it('reports exceptions, bad CRCs and truncated streams', () => {
    expect(
      read(Buffer.concat([payloadPart('a'), streamException('ModelStreamError', 'boom')]), []).errors,
    ).toEqual(['ModelStreamError: boom']);
    const corrupt = payloadPart('abc');
    corrupt.writeUInt8(corrupt.readUInt8(corrupt.length - 6) ^ 0xff, corrupt.length - 6);
    expect(read(corrupt, []).errors[0]).toMatch(/^InvalidFrame: .*checksum/i);
    expect(read(payloadPart('abc').subarray(0, 10), []).errors).toEqual([
      'TruncatedFrame: the event stream ended inside a message',
    ]);
  });
});
