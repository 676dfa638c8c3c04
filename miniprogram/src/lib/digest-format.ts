/** The 核对码: a digest's first hex digits in groups of four, as the printed bulletin-board sheet shows it. */
export function shortDigest(digest: string, length = 16): string {
  const head = digest.slice(0, length)
  const groups: string[] = []
  for (let i = 0; i < head.length; i += 4) groups.push(head.slice(i, i + 4))
  return groups.join(' ')
}

/** The sha256 in an image's content address `/api/images/<sha256>.jpg`, or null. */
export function imageSha256(url: string): string | null {
  const match = /([0-9a-f]{64})\.(?:jpg|webp)(?:$|\?)/.exec(url)
  return match ? match[1] : null
}
