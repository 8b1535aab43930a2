/**
 * What scripts/check-architecture.ts and scripts/architecture-numbers.ts share: one dependency-cruiser run
 * over the code with the rules in .dependency-cruiser.cjs, and the feature-level graph built from it (which
 * feature folder imports which), with its strongly connected components (the feature-level cycles).
 */
import { readFileSync } from "node:fs";
import type { ICruiseResult, IViolation } from "dependency-cruiser";
import { cruise } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";

export const CONFIG_FILE = "./.dependency-cruiser.cjs";
/** Today's violations, each to be deleted when fixed. The format is dependency-cruiser's known violations. */
export const EXCEPTIONS_FILE = "architecture-exceptions.json";
/** What is cruised: the application and the code that drives it from outside (bench/). */
export const CRUISED = ["src", "bench"];
export const FEATURE_CYCLES_RULE = "no-feature-cycles";
export const FEATURE_ORDER_RULE = "features-in-order";
/** The features from the bottom up: each may import only those before it. */
export const FEATURE_ORDER_FILE = "scripts/architecture/feature-order.json";

export function readFeatureOrder(): string[] {
  return (JSON.parse(readFileSync(FEATURE_ORDER_FILE, "utf8")) as { order: string[] }).order;
}

/** Feature imports that go up or sideways in the order, or name a feature the order does not place. */
export function edgesAgainstOrder(edges: FeatureEdge[], order: readonly string[]): FeatureEdge[] {
  const rank = new Map(order.map((feature, i) => [feature, i]));
  return edges.filter(({ from, to }) => {
    const below = rank.get(to);
    const above = rank.get(from);
    return below === undefined || above === undefined || below >= above;
  });
}

/** Test code may reach anywhere (the same list as TESTS in .dependency-cruiser.cjs). */
const TEST_CODE = /\.(test|fixture|arbitrary|table)\.ts$|^test\/|^e2e\/|(^|\/)fixtures\//;

export function isTestCode(path: string): boolean {
  return TEST_CODE.test(path);
}

/** "ledger" for src/features/ledger/service.ts; undefined outside src/features/. */
export function featureOf(path: string): string | undefined {
  return /^src\/features\/([^/]+)\//.exec(path)?.[1];
}

export function readExceptions(): IViolation[] {
  return JSON.parse(readFileSync(EXCEPTIONS_FILE, "utf8")) as IViolation[];
}

/** Cruises the code; violations listed in `known` come back with severity "ignore". */
export async function cruiseCode(known: IViolation[] = []): Promise<ICruiseResult> {
  const options = await extractDepcruiseOptions(CONFIG_FILE);
  options.knownViolations = known.filter(
    (violation) => violation.rule.name !== FEATURE_CYCLES_RULE && violation.rule.name !== FEATURE_ORDER_RULE,
  );
  const { output } = await cruise(CRUISED, options);
  if (typeof output === "string") throw new Error("dependency-cruiser returned text instead of a result");
  return output;
}

/** One feature importing another, with the files that do it ("from → to"). */
export interface FeatureEdge {
  from: string;
  to: string;
  imports: string[];
}

/** Feature → feature imports from non-test code (type-only imports count too). */
export function featureEdges(result: ICruiseResult): FeatureEdge[] {
  const edges = new Map<string, FeatureEdge>();
  for (const module of result.modules) {
    const from = featureOf(module.source);
    if (from === undefined || isTestCode(module.source)) continue;
    for (const dependency of module.dependencies) {
      const to = featureOf(dependency.resolved);
      if (to === undefined || to === from) continue;
      const key = `${from}→${to}`;
      const edge = edges.get(key) ?? { from, to, imports: [] };
      edge.imports.push(`${module.source} → ${dependency.resolved}`);
      edges.set(key, edge);
    }
  }
  return [...edges.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

/** Tarjan's algorithm: the groups of features that can each reach all the others (only groups of 2+). */
export function featureCycles(edges: FeatureEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) {
    next.set(from, [...(next.get(from) ?? []), to]);
    if (!next.has(to)) next.set(to, []);
  }
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    lowLink.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node)!) {
      if (!index.has(to)) {
        visit(to);
        lowLink.set(node, Math.min(lowLink.get(node)!, lowLink.get(to)!));
      } else if (onStack.has(to)) {
        lowLink.set(node, Math.min(lowLink.get(node)!, index.get(to)!));
      }
    }
    if (lowLink.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const node of [...next.keys()].sort()) if (!index.has(node)) visit(node);
  return components.sort((a, b) => b.length - a.length || a[0]!.localeCompare(b[0]!));
}

/** The feature imports that close a cycle: both ends in the same strongly connected component. */
export function edgesInCycles(edges: FeatureEdge[]): FeatureEdge[] {
  const componentOf = new Map<string, number>();
  featureCycles(edges).forEach((component, i) => {
    for (const feature of component) componentOf.set(feature, i);
  });
  return edges.filter(
    ({ from, to }) => componentOf.has(from) && componentOf.get(from) === componentOf.get(to),
  );
}

/** Pairs of features that import each other directly, "a ⇄ b" with a before b. */
export function mutualPairs(edges: FeatureEdge[]): string[] {
  const keys = new Set(edges.map(({ from, to }) => `${from}→${to}`));
  return edges
    .filter(({ from, to }) => from < to && keys.has(`${to}→${from}`))
    .map(({ from, to }) => `${from} ⇄ ${to}`);
}

/** A feature-level import as an entry of the exceptions file (a "dependency" between two folders). */
export function featureCycleViolation(edge: FeatureEdge, rule: string = FEATURE_CYCLES_RULE): IViolation {
  return {
    type: "dependency",
    from: `src/features/${edge.from}`,
    to: `src/features/${edge.to}`,
    rule: { severity: "error", name: rule },
  };
}
