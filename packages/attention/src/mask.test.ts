import { InputError } from "@causeway/core";
import { ALL_BACKENDS, describeBackends, probeBackends } from "@causeway/test-utils";
import { expect, it } from "vitest";
import { MASK_VALUE, causalMask } from "./mask.js";
import { sinusoidalPositionalEncoding } from "./positional.js";

await probeBackends();

describeBackends("causalMask and sinusoidalPositionalEncoding", ALL_BACKENDS, () => {
  it("masks exactly the upper triangle", async () => {
    const m = causalMask(3);
    expect(m.shape).toEqual([3, 3]);
    expect(Array.from(await m.data())).toEqual([0, MASK_VALUE, MASK_VALUE, 0, 0, MASK_VALUE, 0, 0, 0]);
    m.dispose();
  });

  it("encodes positions with the values of Vaswani et al. Sec. 3.5 (hand-checked, T 4, d 6)", async () => {
    const pe = sinusoidalPositionalEncoding(4, 6);
    expect(pe.shape).toEqual([4, 6]);
    const got = Array.from(await pe.data());
    // sin/cos(t / 10000^(2i/6)) computed by hand: 10000^(2/6) = 21.5443469, 10000^(4/6) = 464.158883
    const expected = [
      [0, 1, 0, 1, 0, 1],
      [0.841471, 0.5403023, 0.0463992, 0.998923, 0.0021544, 0.9999977],
      [0.9092974, -0.4161468, 0.0926985, 0.9956942, 0.0043089, 0.9999907],
      [0.14112, -0.9899925, 0.1387981, 0.9903207, 0.0064633, 0.9999791],
    ].flat();
    for (let i = 0; i < expected.length; i++) expect(got[i]).toBeCloseTo(expected[i], 6);
    pe.dispose();
  });
});

it("rejects bad sizes with InputError", () => {
  expect(() => causalMask(0)).toThrow(InputError);
  expect(() => sinusoidalPositionalEncoding(3, 1.5)).toThrow(InputError);
});
