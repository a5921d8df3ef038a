import { describe, expect, it } from 'vitest';
import { formatStatus } from '../../../src/compose/launch-status.ts';
import { sendValidation } from '../../../src/health/send-validation.ts';

describe('formatStatus', () => {
  it('says when nothing is up', () => {
    expect(formatStatus({ project: 'gait', containers: [] })).toBe('project gait: nothing is up');
  });

  it('lists services with state, health and ports, then the endpoint and its health', () => {
    const text = formatStatus({
      project: 'gait',
      containers: [
        {
          id: '1',
          name: 'gait-gateway-1',
          service: 'gateway',
          state: 'running',
          health: 'healthy',
          ports: ['127.0.0.1:8080->8080/tcp'],
        },
        {
          id: '2',
          name: 'gait-server_0-1',
          service: 'server_0',
          state: 'running',
          health: 'starting',
          ports: [],
        },
      ],
      state: {
        project: 'gait',
        server: 'sim',
        device: 'cpu',
        endpointUrl: 'http://127.0.0.1:8080/v1/chat/completions',
        healthUrl: 'http://127.0.0.1:8080/health',
        services: ['server_0', 'gateway'],
        startedAt: '2026-01-01T00:00:00Z',
      },
      health: 0,
    });
    expect(text.split('\n')).toEqual([
      'SERVICE   CONTAINER        STATE    HEALTH    PORTS',
      'gateway   gait-gateway-1   running  healthy   127.0.0.1:8080->8080/tcp',
      'server_0  gait-server_0-1  running  starting  -',
      '',
      'endpoint: http://127.0.0.1:8080/v1/chat/completions',
      'health:   http://127.0.0.1:8080/health -> no answer',
    ]);
  });
});

describe('sendValidation', () => {
  it('posts the chosen body and returns status and a shortened reply', async () => {
    const seen: { url: string; init?: RequestInit }[] = [];
    const fetchImpl = (async (url: string, init?: RequestInit) => {
      seen.push({ url, init });
      return new Response('x'.repeat(1000), { status: 200 });
    }) as typeof fetch;
    const reply = await sendValidation('http://127.0.0.1:9/v1/completions', 'm', {}, fetchImpl);
    expect(seen[0]?.init?.method).toBe('POST');
    expect(JSON.parse(String(seen[0]?.init?.body))).toMatchObject({ model: 'm', max_tokens: 16 });
    expect(reply).toMatchObject({ status: 200, ok: true });
    expect(reply.body).toHaveLength(603);
  });
});
