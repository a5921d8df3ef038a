import { describe, expect, it } from 'vitest';
import { parseTritonInfer } from '../../../../src/sim/http/encoders.ts';

describe('Triton infer parser', () => {
  it('infer: every BYTES string is counted; missing fields are named', () => {
    const r = parseTritonInfer(
      { inputs: [{ name: 'text_input', shape: [1, 1], datatype: 'BYTES', data: [['a b']] }] },
      'm',
      4,
      0,
    );
    expect(typeof r !== 'string' && r.gen.prompt).toBe('a b');
    expect(parseTritonInfer({ inputs: [{ name: 'x', shape: [1], data: [] }] }, 'm', 4, 0)).toMatch(
      /datatype/,
    );
    expect(parseTritonInfer({}, 'm', 4, 0)).toMatch(/inputs/);
  });
});
