import { describe, expect, it } from 'vitest';
import { expandHome } from '../../../src/core/paths.ts';

describe('expandHome', () => {
  it('expands "~" and "~/x" to the home folder and leaves other paths alone', () => {
    expect(expandHome('~', '/home/u')).toBe('/home/u');
    expect(expandHome('~/snapshots/huggingface', '/home/u')).toBe('/home/u/snapshots/huggingface');
    expect(expandHome('/abs', '/home/u')).toBe('/abs');
    expect(expandHome('rel/~', '/home/u')).toBe('rel/~');
    expect(expandHome('~user/x', '/home/u')).toBe('~user/x');
  });
});
