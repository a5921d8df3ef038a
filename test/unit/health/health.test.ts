import { describe, expect, it } from 'vitest';
import { demuxDockerLog } from '../../../src/health/docker-log.ts';
import { clientHost, healthPathFor, healthUrlFor } from '../../../src/health/health-url.ts';
import { stackReadiness } from '../../../src/health/readiness.ts';
import { validationRequest } from '../../../src/health/validation.ts';

describe('health URL from the endpoint', () => {
  it.each([
    ['/invocations', '/ping'],
    ['/v1/chat/completions', '/health'],
    ['/v1/embeddings', '/health'],
    ['/v2/models/model/generate', '/v2/health/ready'],
    ['/v2/models/model/infer', '/v2/health/ready'],
    ['/classify', '/health'],
    ['/rerank', '/health'],
  ])('%s -> %s', (endpoint, health) => {
    expect(healthPathFor(endpoint)).toBe(health);
  });

  it('keeps the origin of the endpoint (no hard-coded localhost:8080)', () => {
    expect(healthUrlFor('http://10.0.0.5:9001/invocations')).toBe('http://10.0.0.5:9001/ping');
    expect(healthUrlFor('http://[::1]:8080/v2/models/m/generate')).toBe('http://[::1]:8080/v2/health/ready');
  });

  it('sends clients to loopback when the port is published on every address', () => {
    expect(clientHost('0.0.0.0')).toBe('127.0.0.1');
    expect(clientHost('127.0.0.1')).toBe('127.0.0.1');
    expect(clientHost('::')).toBe('[::1]');
    expect(clientHost('fd00::1')).toBe('[fd00::1]');
  });
});

describe('stackReadiness', () => {
  const c = (service: string, state: string, health?: string) => ({
    name: `p-${service}-1`,
    service,
    state,
    health,
  });

  it('is ready only when every expected service has a healthy running container', () => {
    expect(
      stackReadiness(
        [c('server_0', 'running', 'healthy'), c('server_1', 'running', 'healthy')],
        ['server_0', 'server_1'],
      ),
    ).toEqual({ ready: true });
  });

  it('waits while one replica of several is still starting (the old scripts did not)', () => {
    const r = stackReadiness(
      [c('server_0', 'running', 'healthy'), c('server_1', 'running', 'starting')],
      ['server_0', 'server_1'],
    );
    expect(r).toEqual({ ready: false, failed: false, waitingFor: ['p-server_1-1 (starting)'] });
  });

  it('waits for a service that has no container yet', () => {
    const r = stackReadiness([c('server_0', 'running', 'healthy')], ['server_0', 'gateway']);
    expect(r).toMatchObject({ ready: false, failed: false, waitingFor: ['gateway (no container yet)'] });
  });

  it('treats a container without a healthcheck as ready once running', () => {
    expect(stackReadiness([c('server_0', 'running')], ['server_0'])).toEqual({ ready: true });
  });

  it('fails at once on an exited or unhealthy container', () => {
    expect(stackReadiness([{ ...c('server_0', 'exited'), exitCode: 137 }], ['server_0'])).toEqual({
      ready: false,
      failed: true,
      reason: 'p-server_0-1 exited (exit code 137)',
    });
    expect(stackReadiness([c('server_0', 'running', 'unhealthy')], ['server_0'])).toMatchObject({
      failed: true,
    });
  });
});

describe('demuxDockerLog', () => {
  const frame = (stream: number, text: string) => {
    const payload = Buffer.from(text);
    const header = Buffer.alloc(8);
    header[0] = stream;
    header.writeUInt32BE(payload.length, 4);
    return Buffer.concat([header, payload]);
  };

  it('joins stdout and stderr frames in order', () => {
    const buffer = Buffer.concat([frame(1, 'listening\n'), frame(2, 'warning: x\n'), frame(1, 'ready\n')]);
    expect(demuxDockerLog(buffer)).toBe('listening\nwarning: x\nready\n');
  });

  it('returns a TTY (unframed) log as is', () => {
    expect(demuxDockerLog(Buffer.from('plain text output here\n'))).toBe('plain text output here\n');
  });
});

describe('validationRequest', () => {
  it('asks a chat endpoint for a short completion with the model id', () => {
    const r = validationRequest('http://127.0.0.1:8080/v1/chat/completions', 'Qwen/Qwen3-0.6B');
    expect(r.method).toBe('POST');
    expect(r.body).toMatchObject({ model: 'Qwen/Qwen3-0.6B', max_tokens: 16, stream: false });
  });

  it('uses Triton generate with sampling_parameters as a JSON string, like the old configs', () => {
    const r = validationRequest('http://h:1/v2/models/model/generate', 'm');
    expect(r.body).toEqual({ text_input: expect.any(String), sampling_parameters: '{"max_tokens":16}' });
  });

  it('reads Triton infer model metadata, DJL gets a chat body, others list models', () => {
    expect(validationRequest('http://h:1/v2/models/model/infer', 'm')).toEqual({
      method: 'GET',
      url: 'http://h:1/v2/models/model',
    });
    expect(validationRequest('http://h:1/invocations', 'm').body).toHaveProperty('messages');
    expect(validationRequest('http://h:1/v1/embeddings', 'm').body).toEqual({
      model: 'm',
      input: expect.any(String),
    });
    expect(validationRequest('http://h:1/v1/models', 'm')).toEqual({
      method: 'GET',
      url: 'http://h:1/v1/models',
    });
  });

  it('follows the encoder: vLLM classify / rerank / score bodies, Triton infer bodies per ENCODER_TYPE', () => {
    expect(validationRequest('http://h:1/classify', 'm').body).toEqual({
      model: 'm',
      input: expect.any(String),
    });
    expect(validationRequest('http://h:1/v1/rerank', 'm').body).toEqual({
      model: 'm',
      query: expect.any(String),
      documents: [expect.any(String), expect.any(String)],
    });
    expect(validationRequest('http://h:1/v1/score', 'm').body).toHaveProperty('text_1');
    const infer = 'http://h:1/v2/models/model/infer';
    expect(validationRequest(infer, 'm', { encoderType: 'embeddings' })).toEqual({
      method: 'POST',
      url: infer,
      body: {
        inputs: [{ name: 'text_input', shape: [1, 1], datatype: 'BYTES', data: [expect.any(String)] }],
      },
    });
    const reranker = validationRequest(infer, 'a,b', { encoderType: 'reranker' }).body as {
      inputs: { name: string; shape: number[]; data: string[] }[];
    };
    expect(reranker.inputs.map((i) => [i.name, i.shape])).toEqual([
      ['query', [1]],
      ['texts', [2]],
      ['model_id', [1, 1]],
    ]);
    expect(reranker.inputs[2]!.data).toEqual(['a']);
  });

  it("sends the request config's own first body when there is one", () => {
    const body = { inputs: [{ name: 'query', shape: [1], datatype: 'BYTES', data: ['q'] }] };
    expect(validationRequest('http://h:1/v2/models/model/infer', 'm', { body })).toEqual({
      method: 'POST',
      url: 'http://h:1/v2/models/model/infer',
      body,
    });
  });
});
