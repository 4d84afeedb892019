import { describe, expect, it } from "vitest";

import { hashPassword, verifyPassword } from "./passwords";

describe("password hashing (scrypt)", () => {
  it("verifies the right password and refuses a wrong one", async () => {
    const stored = await hashPassword("scan-me-in");
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(stored).not.toContain("scan-me-in");
    expect(await verifyPassword("scan-me-in", stored)).toBe(true);
    expect(await verifyPassword("scan-me-in ", stored)).toBe(false);
  });

  it("salts every hash, so equal passwords do not give equal hashes", async () => {
    const [a, b] = await Promise.all([hashPassword("same"), hashPassword("same")]);
    expect(a).not.toBe(b);
    expect(await verifyPassword("same", a)).toBe(true);
    expect(await verifyPassword("same", b)).toBe(true);
  });

  it("refuses malformed stored hashes instead of throwing", async () => {
    for (const stored of ["", "plain", "bcrypt$1$2$3$4$5", "scrypt$x$8$1$abc$def", "scrypt$16384$8$1$abc$"]) {
      expect(await verifyPassword("anything", stored)).toBe(false);
    }
  });
});
