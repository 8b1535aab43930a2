/**
 * The statistics a calibration needs, written out so they can be read and checked: least squares by
 * Householder QR, the mean and sample standard deviation, percentiles, and Student's t quantile for
 * confidence intervals. Pure; IEEE double arithmetic throughout (about 15 significant figures, far more than
 * pence need); rounding to pence is the caller's, once, at the end.
 */

export class SingularDesignError extends Error {
  override name = "SingularDesignError";
  /** The first column (0-based) that adds nothing the columns before it do not already say. */
  readonly column: number;
  constructor(column: number, message: string) {
    super(message);
    this.column = column;
  }
}

/**
 * Least squares without an intercept: the β minimising Σ (y − Xβ)². Householder QR of X (n × k, n ≥ k)
 * rather than the normal equations XᵀXβ = Xᵀy, because forming XᵀX squares the condition number.
 * Throws SingularDesignError when a column of X is (numerically) a combination of the ones before it: then
 * no single best β exists.
 */
export function leastSquares(X: readonly (readonly number[])[], y: readonly number[]): number[] {
  const n = X.length;
  const k = X[0]?.length ?? 0;
  if (n !== y.length) throw new RangeError(`X has ${n} rows but y has ${y.length}`);
  if (k === 0) throw new RangeError("X has no columns");
  if (n < k) throw new RangeError(`${n} rows cannot determine ${k} parameters`);
  const A = X.map((r) => {
    if (r.length !== k) throw new RangeError("Every row of X must have the same number of columns");
    return [...r];
  });
  const b = [...y];
  // Scale of the problem, for the rank test: the largest column norm.
  let scale = 0;
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += A[i]![j]! ** 2;
    scale = Math.max(scale, Math.sqrt(s));
  }
  const tolerance = Math.max(n, k) * Number.EPSILON * 1e3 * scale;
  const diagonal: number[] = [];

  for (let j = 0; j < k; j++) {
    let norm = 0;
    for (let i = j; i < n; i++) norm += A[i]![j]! ** 2;
    norm = Math.sqrt(norm);
    if (norm <= tolerance) {
      throw new SingularDesignError(j, `Column ${j + 1} is a combination of the columns before it`);
    }
    const alpha = A[j]![j]! > 0 ? -norm : norm;
    const v: number[] = [];
    for (let i = j; i < n; i++) v.push(A[i]![j]!);
    v[0]! -= alpha;
    let vv = 0;
    for (const x of v) vv += x * x;
    if (vv > 0) {
      const reflect = (get: (i: number) => number, set: (i: number, x: number) => void) => {
        let s = 0;
        for (let i = 0; i < v.length; i++) s += v[i]! * get(j + i);
        const f = (2 * s) / vv;
        for (let i = 0; i < v.length; i++) set(j + i, get(j + i) - f * v[i]!);
      };
      for (let c = j; c < k; c++) {
        reflect(
          (i) => A[i]![c]!,
          (i, x) => {
            A[i]![c] = x;
          },
        );
      }
      reflect(
        (i) => b[i]!,
        (i, x) => {
          b[i] = x;
        },
      );
    }
    diagonal.push(A[j]![j]!);
  }

  // Back substitution: R β = (Qᵀy)[0..k).
  const beta = new Array<number>(k).fill(0);
  for (let j = k - 1; j >= 0; j--) {
    let s = b[j]!;
    for (let c = j + 1; c < k; c++) s -= A[j]![c]! * beta[c]!;
    beta[j] = s / diagonal[j]!;
  }
  return beta;
}

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample standard deviation (divides by n − 1); NaN for fewer than two values. */
export function sampleSd(xs: readonly number[]): number {
  if (xs.length < 2) return Number.NaN;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}

/**
 * The p-th percentile (0–100) by linear interpolation between the closest ranks: Hyndman & Fan's type 7,
 * the default of R and of spreadsheets' PERCENTILE.INC.
 */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const h = (sorted.length - 1) * (p / 100);
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9: about 15 significant figures). */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The continued fraction for the incomplete beta function (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** The regularised incomplete beta function I_x(a, b). */
function regularisedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2)
    ? (front * betaContinuedFraction(a, b, x)) / a
    : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(T ≤ t) for Student's t with df degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * regularisedBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The t with P(T ≤ t) = p, for 0.5 ≤ p < 1 (bisection: monotone, and 200 halvings are plenty). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p >= 0.5 && p < 1)) throw new RangeError("p must be in [0.5, 1)");
  if (!(df > 0)) throw new RangeError("df must be positive");
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** A two-sided confidence interval for a mean: mean ± t(1 − α/2, n − 1) × sd / √n. Null for n < 2. */
export function meanConfidenceInterval(
  xs: readonly number[],
  level = 0.95,
): { mean: number; sd: number; low: number; high: number } | null {
  if (xs.length < 2) return null;
  const m = mean(xs);
  const sd = sampleSd(xs);
  const half = (studentTQuantile(1 - (1 - level) / 2, xs.length - 1) * sd) / Math.sqrt(xs.length);
  return { mean: m, sd, low: m - half, high: m + half };
}
