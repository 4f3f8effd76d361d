import { InputError } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { auprc, auroc, precisionRecallF1 } from "./binary.js";

describe("auroc", () => {
  it("is 1 for a perfect ranking and 0 for an inverted one", () => {
    expect(auroc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(auroc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
  });

  it("is 0.5 when every score is tied", () => {
    expect(auroc([0.3, 0.3, 0.3, 0.3, 0.3], [1, 0, 0, 1, 0])).toBe(0.5);
  });

  it("counts positive-negative ties as half (worked 3-positive / 4-negative case)", () => {
    // Positives 0.9, 0.6, 0.4; negatives 0.6, 0.4, 0.4, 0.1. Over the 12 (pos, neg) pairs:
    //   0.9 beats all 4 negatives                      -> 4
    //   0.6 ties 0.6 (1/2), beats 0.4, 0.4, 0.1        -> 3.5
    //   0.4 loses to 0.6, ties 0.4 twice, beats 0.1    -> 2
    // AUROC = 9.5 / 12 = 0.791666... (sklearn roc_auc_score agrees).
    const scores = [0.9, 0.6, 0.4, 0.6, 0.4, 0.4, 0.1];
    const labels = [true, true, true, false, false, false, false];
    expect(auroc(scores, labels)).toBeCloseTo(9.5 / 12, 15);
    // Order does not matter.
    expect(auroc([...scores].reverse(), [...labels].reverse())).toBeCloseTo(9.5 / 12, 15);
  });

  it("matches sklearn on a 24-item case with many ties", () => {
    // /usr/bin/python3: sklearn.metrics.roc_auc_score(y, s) = 0.6107142857142858
    expect(auroc(FIXTURE_S, FIXTURE_Y)).toBeCloseTo(0.6107142857142858, 14);
  });

  it("rejects degenerate input with a clear error instead of NaN", () => {
    expect(() => auroc([0.1, 0.2, 0.3], [1, 1, 1])).toThrow("AUROC is undefined: all 3 labels are positive");
    expect(() => auroc([0.1, 0.2], [0, 0])).toThrow("AUROC is undefined: all 2 labels are negative");
    expect(() => auroc([], [])).toThrow(InputError);
    expect(() => auroc([0.1, NaN], [0, 1])).toThrow("score 1 is not a finite number");
    expect(() => auroc([0.1, Infinity], [0, 1])).toThrow(InputError);
    expect(() => auroc([0.1, 0.2], [0, 1, 1])).toThrow("2 scores but 3 labels");
    expect(() => auroc([0.1, 0.2], [0, 2])).toThrow("label 1 is 2");
  });
});

describe("auprc", () => {
  it("sums (R_k - R_{k-1}) P_k over thresholds", () => {
    // Thresholds 0.9: P=1, R=1/2; 0.8: R unchanged; 0.3: P=2/3, R=1 -> 1/2 * 1 + 1/2 * 2/3.
    expect(auprc([0.9, 0.8, 0.3, 0.1], [1, 0, 1, 0])).toBeCloseTo(0.5 + 1 / 3, 15);
    expect(auprc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
  });

  it("treats tied scores as one threshold", () => {
    // 4 positives. Threshold 0.8: {1, 0} -> R = 1/4, P = 1/2 -> 0.125
    //              threshold 0.4: + {1, 1, 0} -> R = 3/4, P = 3/5 -> 0.5 * 0.6 = 0.3
    //              threshold 0.2: + {1} -> R = 1, P = 4/6 -> 0.25 * 2/3
    // AP = 0.125 + 0.3 + 1/6 = 0.591666... (sklearn average_precision_score agrees).
    expect(auprc([0.8, 0.8, 0.4, 0.4, 0.4, 0.2], [1, 0, 1, 1, 0, 1])).toBeCloseTo(0.125 + 0.3 + 1 / 6, 15);
    // The top threshold holds only a negative: it adds nothing; then 2 of 4 predicted at once.
    expect(auprc([0.9, 0.5, 0.5, 0.5, 0.1], [0, 1, 1, 0, 0])).toBeCloseTo(0.5, 15);
    // All tied: one threshold at which precision = prevalence.
    expect(auprc([0.5, 0.5, 0.5, 0.5], [1, 0, 0, 0])).toBeCloseTo(0.25, 15);
  });

  it("matches sklearn on a 24-item case with many ties", () => {
    // /usr/bin/python3: sklearn.metrics.average_precision_score(y, s) = 0.48359649122807014
    expect(auprc(FIXTURE_S, FIXTURE_Y)).toBeCloseTo(0.48359649122807014, 14);
  });

  it("rejects degenerate input", () => {
    expect(() => auprc([0.1, 0.2], [0, 0])).toThrow("AUPRC is undefined: all 2 labels are negative");
    expect(() => auprc([0.1, 0.2], [1, 1])).toThrow("AUPRC is undefined: all 2 labels are positive");
    expect(() => auprc([], [])).toThrow(InputError);
    expect(() => auprc([0.1, -Infinity], [0, 1])).toThrow("score 1 is not a finite number");
  });
});

describe("precisionRecallF1", () => {
  it("counts tp, fp, fn, tn", () => {
    // tp = items 0, 4; fp = item 1; fn = item 2; tn = item 3.
    const r = precisionRecallF1([1, 1, 0, 0, 1], [1, 0, 1, 0, 1]);
    expect(r).toMatchObject({ tp: 2, fp: 1, fn: 1, tn: 1 });
    expect(r.precision).toBeCloseTo(2 / 3, 15);
    expect(r.recall).toBeCloseTo(2 / 3, 15);
    expect(r.f1).toBeCloseTo(2 / 3, 15);
    // precision 1/4, recall 1/2 -> F1 = 2 * (1/8) / (3/4) = 1/3
    const s = precisionRecallF1([true, true, true, true, false], [true, false, false, false, true]);
    expect([s.precision, s.recall, s.f1]).toEqual([0.25, 0.5, expect.closeTo(1 / 3, 15)]);
  });

  it("gives precision 0 and F1 0 when nothing is predicted", () => {
    expect(precisionRecallF1([0, 0, 0], [1, 0, 1])).toEqual({ tp: 0, fp: 0, fn: 2, tn: 1, precision: 0, recall: 0, f1: 0 });
  });

  it("errors when recall is undefined or input is bad", () => {
    expect(() => precisionRecallF1([1, 0], [0, 0])).toThrow("recall is undefined: all 2 labels are negative");
    expect(() => precisionRecallF1([], [])).toThrow(InputError);
    expect(() => precisionRecallF1([1], [1, 0])).toThrow("1 predictions but 2 labels");
  });
});

// Generated with numpy default_rng(7): scores rounded to 0.1 (many ties), ~40% positives.
const FIXTURE_S = [0.6, 0.9, 0.8, 0.2, 0.3, 0.9, 0.0, 0.8, 0.8, 0.5, 0.3, 0.3, 0.3, 0.4, 0.5, 0.6, 1.0, 0.8, 0.6, 1.0, 0.2, 0.2, 0.6, 0.0];
const FIXTURE_Y = [1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0];
