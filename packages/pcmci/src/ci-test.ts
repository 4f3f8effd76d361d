/** One conditional-independence test of X _||_ Y | Z on n samples. */
export interface CITestResult {
  /** the test statistic (ParCorr: partial correlation; CMIknn: CMI) */
  value: number;
  pvalue: number;
}

export interface CITest {
  name: string;
  /** x, y: [n]; z: k columns of [n]; seed for permutation tests. */
  run(x: Float64Array, y: Float64Array, z: readonly Float64Array[], seed: number): CITestResult;
}
