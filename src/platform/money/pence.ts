/** Money is integer pence. The brand stops a plain number (pounds, or a float) being passed as money. */
export type Pence = number & { readonly __brand: "pence" };

/** Makes a Pence from a whole number of pence; throws on fractions, NaN, infinities and unsafe integers. */
export function pence(n: number): Pence {
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`Money must be a whole number of pence, got ${String(n)}`);
  }
  // Normalise -0 so it never prints as "-£0.00".
  return (n === 0 ? 0 : n) as Pence;
}

export const ZERO_PENCE: Pence = pence(0);

export function addPence(...amounts: readonly Pence[]): Pence {
  let total = 0;
  for (const amount of amounts) total += amount;
  return pence(total);
}

/**
 * Integer division rounded to the nearest whole number, halves rounded away from zero
 * (so for the non-negative amounts budgets deal in, "round half up"). BigInt, so a product
 * of pence and a price or percentage never loses precision before it is rounded.
 */
function divideRounded(n: bigint, d: bigint): bigint {
  if (d === 0n) throw new RangeError("Cannot divide money by zero");
  const negative = n < 0n !== d < 0n;
  const absN = n < 0n ? -n : n;
  const absD = d < 0n ? -d : d;
  const quotient = (2n * absN + absD) / (2n * absD);
  return negative ? -quotient : quotient;
}

function toBigInt(n: number, what: string): bigint {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be a safe integer, got ${String(n)}`);
  return BigInt(n);
}

/** numerator ÷ denominator for integers, rounded half away from zero (see divideRounded). */
export function roundedDivide(numerator: number, denominator: number): number {
  return Number(divideRounded(toBigInt(numerator, "numerator"), toBigInt(denominator, "denominator")));
}

/** (amount × numerator) ÷ denominator, rounded to the penny, halves away from zero. */
export function scalePence(amount: Pence, numerator: number, denominator: number): Pence {
  const product = toBigInt(amount, "amount") * toBigInt(numerator, "numerator");
  return pence(Number(divideRounded(product, toBigInt(denominator, "denominator"))));
}

/** "£1,234.56"; negatives as "-£1,234.56". Written by hand so the output never depends on the host's locale. */
export function formatPounds(p: Pence): string {
  const sign = p < 0 ? "-" : "";
  const abs = Math.abs(p);
  const pounds = Math.floor(abs / 100);
  const pennies = abs % 100;
  const poundsText = String(pounds).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}£${poundsText}.${String(pennies).padStart(2, "0")}`;
}
