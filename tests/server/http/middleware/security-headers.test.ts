import { pagePolicy } from '../../../../server/http/middleware/security-headers';

describe('pagePolicy', () => {
  test('without a policy from the page: the full default page policy', () => {
    expect(pagePolicy('')).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    );
  });

  test("the page's own directives win (its inline script hashes); the rest are filled in", () => {
    const policy = pagePolicy("script-src 'self' 'sha256-abc='; object-src 'none'; base-uri 'self'");
    expect(policy.startsWith("script-src 'self' 'sha256-abc='; object-src 'none'; base-uri 'self'; default-src 'self'")).toBe(true);
    expect(policy.match(/script-src/g)).toHaveLength(1);
    expect(policy).toContain("frame-ancestors 'none'");
  });

  test('directive names are matched without regard to case, and empty parts are dropped', () => {
    expect(pagePolicy("Frame-Ancestors 'self';;").match(/frame-ancestors/gi)).toHaveLength(1);
  });
});
