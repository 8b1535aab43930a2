import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "#/platform/auth/passwords.ts";

describe("passwords", () => {
  it("rule: passwords are stored as salted argon2id hashes that verify only the right password", async () => {
    const a = await hashPassword("correct horse battery staple");
    const b = await hashPassword("correct horse battery staple");
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, "correct horse battery staple")).toBe(true);
    expect(await verifyPassword(a, "Correct horse battery staple")).toBe(false);
  });

  it("rule: a malformed stored hash fails verification instead of throwing", async () => {
    expect(await verifyPassword("not-a-hash", "anything")).toBe(false);
    expect(await verifyPassword("", "")).toBe(false);
  });
});
