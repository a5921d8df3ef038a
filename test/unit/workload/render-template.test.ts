import { describe, expect, it } from 'vitest';
import { ToolkitError } from '../../../src/core/errors.ts';
import {
  parseTemplateKey,
  renderTemplate,
  templateKeyProblem,
} from '../../../src/workload/render-template.ts';

describe('parseTemplateKey', () => {
  it('turns [i] parts into list indexes', () => {
    expect(parseTemplateKey('messages.[0].content.[1].image_url.url')).toEqual([
      'messages',
      0,
      'content',
      1,
      'image_url',
      'url',
    ]);
    expect(parseTemplateKey('model')).toEqual(['model']);
  });
});

describe('renderTemplate', () => {
  const template = {
    model: '',
    messages: [{ role: 'user', content: [{ type: 'text', text: '' }] }],
    sampling_parameters: '{ "top_k": 50, "max_tokens": 2048 }',
  };

  it('fills keys in order and leaves the template untouched', () => {
    const body = renderTemplate(
      template,
      ['model', 'messages.[0].content.[0].text'],
      ['m', 'hello', 'extra'],
    );
    expect(body).toEqual({
      model: 'm',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hello' }] }],
      sampling_parameters: '{ "top_k": 50, "max_tokens": 2048 }',
    });
    expect(template.model).toBe('');
    expect(template.messages[0]!.content[0]!.text).toBe('');
  });

  it('copies only what its keys fill: two bodies never share a filled object, the rest is shared', () => {
    const keys = ['model', 'messages.[0].content.[0].text'];
    const a = renderTemplate(template, keys, ['m', 'first']);
    const b = renderTemplate(template, keys, ['m', 'second']);
    const textOf = (body: Record<string, unknown>) =>
      (body.messages as { content: { text: string }[] }[])[0]!.content[0]!.text;
    expect([textOf(a), textOf(b), textOf(template)]).toEqual(['first', 'second', '']);
    expect(a.messages).not.toBe(template.messages);
    expect(a.messages).not.toBe(b.messages);
    // Fields no key reaches are the template's own (never edited: prepare-body copies what it changes).
    const t = { ...template, parameters: { top_k: 5 } };
    expect(renderTemplate(t, ['model'], ['m']).parameters).toBe(t.parameters);
  });

  it('replaces whole lists and adds a missing last key, as the old runner did', () => {
    const t = { inputs: [{ name: 'texts', shape: [], data: [] }] };
    expect(
      renderTemplate(t, ['inputs.[0].data', 'inputs.[0].shape', 'inputs.[0].new'], [['a', 'b'], [2], 1]),
    ).toEqual({
      inputs: [{ name: 'texts', shape: [2], data: ['a', 'b'], new: 1 }],
    });
  });

  it('refuses fewer values than keys, naming the keys', () => {
    expect(() => renderTemplate(template, ['model', 'messages.[0].content.[0].text'], ['m'])).toThrow(
      /yielded 1 value\(s\) for 2 template_keys \(model, messages.\[0\].content.\[0\].text\)/,
    );
  });

  it('refuses a key that points nowhere, saying where it stops', () => {
    let error: unknown;
    try {
      renderTemplate(template, ['messages.[3].content'], ['x']);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ToolkitError);
    expect((error as ToolkitError).message).toContain('[3] is not in messages (it has 1 item(s))');
    expect((error as ToolkitError).hint).toContain('[0]');
  });
});

describe('templateKeyProblem', () => {
  const t = { a: { b: [1, 2] }, s: 'text' };
  it('accepts paths that resolve', () => {
    expect(templateKeyProblem(t, 'a.b')).toBeUndefined();
    expect(templateKeyProblem(t, 'a.b.[1]')).toBeUndefined();
    expect(templateKeyProblem(t, 'new_field')).toBeUndefined();
  });
  it('explains the ones that do not', () => {
    expect(templateKeyProblem(t, 'x.y')).toBe('"x" is not in the template (it has a, s)');
    expect(templateKeyProblem(t, 'a.[0].c')).toContain('a is not a list');
    expect(templateKeyProblem(t, 'a.b.c')).toContain('a.b is a list: index it with [i]');
    expect(templateKeyProblem(t, 's.x')).toContain('not an object or list');
    expect(templateKeyProblem(t, '')).toBe('is empty');
  });
});
