/**
 * `Content-Disposition` with a UTF-8 file name (RFC 6266 + RFC 5987), so a browser saves
 * "甲一村-2026-10.csv"; clients that only read `filename=` get the ASCII fallback.
 */
export function contentDisposition(type: 'attachment' | 'inline', filename: string, asciiFallback: string): string {
  const fallback = asciiFallback.replace(/[^\x20-\x7e]|["\\]/g, '_');
  // encodeURIComponent leaves ' ( ) * unescaped, which RFC 5987's attr-char does not allow.
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
