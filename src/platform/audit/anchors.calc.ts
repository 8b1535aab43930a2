/**
 * Anchors for the audit hash chain, kept outside the database. The chain shows any change to sealed events, but
 * whoever can write to the database can also delete the newest seals with their events, or change events and seal
 * them again, and the chain still verifies. So every seal's hash is also written, as it is made, to an append-only
 * file (AUDIT_ANCHOR_FILE) and as a log line, which the operator copies off the machine as they are written;
 * `upfront audit verify --anchors FILE` then compares the chain with them and names every seal that is missing,
 * changed, or was never anchored. Pure: the lines and the comparison.
 *
 * One line per seal, JSON: {"anchor":1,"tenantId":"…","sealNo":7,"sealHash":"…","eventCount":120,"at":"…"}.
 */

export const ANCHOR_VERSION = 1;

export type Anchor = { tenantId: string; sealNo: number; sealHash: string; eventCount: number; at: string };

export function anchorLine(anchor: Anchor): string {
  return JSON.stringify({ anchor: ANCHOR_VERSION, ...anchor });
}

export type ParsedAnchors = { anchors: Anchor[]; unreadable: number[] };

const HASH = /^[0-9a-f]{64}$/;

/** Reads an anchor file; line numbers (from 1) of lines that are not anchors are returned, not thrown. */
export function parseAnchors(text: string): ParsedAnchors {
  const anchors: Anchor[] = [];
  const unreadable: number[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (line === "") return;
    try {
      const a = JSON.parse(line) as Record<string, unknown>;
      if (
        a.anchor === ANCHOR_VERSION &&
        typeof a.tenantId === "string" &&
        Number.isInteger(a.sealNo) &&
        typeof a.sealHash === "string" &&
        HASH.test(a.sealHash) &&
        Number.isInteger(a.eventCount) &&
        typeof a.at === "string"
      ) {
        anchors.push({
          tenantId: a.tenantId,
          sealNo: a.sealNo as number,
          sealHash: a.sealHash,
          eventCount: a.eventCount as number,
          at: a.at,
        });
        return;
      }
    } catch {
      // Not JSON: reported below.
    }
    unreadable.push(index + 1);
  });
  return { anchors, unreadable };
}

export type AnchorProblem =
  /** Anchored, but the chain has no such seal: seals were removed. */
  | { kind: "missing"; sealNo: number; anchoredHash: string }
  /** Anchored with another hash: the seal (or what came before it) was rewritten. */
  | { kind: "changed"; sealNo: number; anchoredHash: string; chainHash: string }
  /** In the chain, never anchored: sealed without the anchor file, or added by someone else. */
  | { kind: "not_anchored"; sealNo: number; chainHash: string }
  /** The same seal anchored twice with different hashes: the anchor file itself was tampered with. */
  | { kind: "conflicting_anchors"; sealNo: number; hashes: string[] };

/**
 * Compares one tenant's seals (as the chain holds them) with the anchors written for it. A seal anchored twice
 * with the same hash (two copies of the file read together) is fine.
 */
export function compareWithAnchors(
  tenantId: string,
  chain: readonly { sealNo: number; sealHash: string }[],
  anchors: readonly Anchor[],
): AnchorProblem[] {
  const anchored = new Map<number, Set<string>>();
  for (const a of anchors) {
    if (a.tenantId !== tenantId) continue;
    const hashes = anchored.get(a.sealNo) ?? new Set<string>();
    hashes.add(a.sealHash);
    anchored.set(a.sealNo, hashes);
  }
  const inChain = new Map(chain.map((s) => [s.sealNo, s.sealHash]));
  const problems: AnchorProblem[] = [];
  const sealNos = [...new Set([...anchored.keys(), ...inChain.keys()])].sort((a, b) => a - b);
  for (const sealNo of sealNos) {
    const hashes = anchored.get(sealNo);
    const chainHash = inChain.get(sealNo);
    if (hashes && hashes.size > 1) {
      problems.push({ kind: "conflicting_anchors", sealNo, hashes: [...hashes].sort() });
      continue;
    }
    const anchoredHash = hashes ? [...hashes][0]! : undefined;
    if (anchoredHash === undefined) problems.push({ kind: "not_anchored", sealNo, chainHash: chainHash! });
    else if (chainHash === undefined) problems.push({ kind: "missing", sealNo, anchoredHash });
    else if (chainHash !== anchoredHash) problems.push({ kind: "changed", sealNo, anchoredHash, chainHash });
  }
  return problems;
}

/** One sentence per problem, for the command's output. */
export function describeAnchorProblem(p: AnchorProblem): string {
  switch (p.kind) {
    case "missing":
      return `Seal ${p.sealNo} was anchored (${p.anchoredHash}) but is not in the chain: seals and their events were removed.`;
    case "changed":
      return `Seal ${p.sealNo} was anchored as ${p.anchoredHash} but the chain has ${p.chainHash}: it, or a seal before it, was rewritten.`;
    case "not_anchored":
      return `Seal ${p.sealNo} (${p.chainHash}) is not in the anchor file: it was sealed without one, the server stopped as it sealed, or someone else added it.`;
    case "conflicting_anchors":
      return `Seal ${p.sealNo} is anchored with different hashes (${p.hashes.join(", ")}): the anchor file was changed.`;
  }
}
