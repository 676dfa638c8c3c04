/**
 * UTF-8 encoding and decoding in plain code: WeChat's JavaScript has no TextEncoder/TextDecoder.
 * Invalid input becomes U+FFFD, as the WHATWG encoders do.
 */

const REPLACEMENT = 0xfffd

/** The UTF-8 bytes of a string; a lone surrogate is written as U+FFFD. */
export function utf8Encode(text: string): Uint8Array {
  const out: number[] = []
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i)
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0
      if (next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00)
        i++
      } else {
        code = REPLACEMENT
      }
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      code = REPLACEMENT
    }
    if (code < 0x80) {
      out.push(code)
    } else if (code < 0x800) {
      out.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f))
    } else if (code < 0x10000) {
      out.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f))
    } else {
      out.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f))
    }
  }
  return new Uint8Array(out)
}

/**
 * Decodes UTF-8 bytes to a string, following the WHATWG decoder: each maximal invalid subpart
 * becomes one U+FFFD, so the result equals TextDecoder's (and Node's Buffer#toString).
 */
export function utf8Decode(bytes: Uint8Array): string {
  const units: number[] = []
  let text = ''
  const push = (code: number) => {
    if (code >= 0x10000) {
      code -= 0x10000
      units.push(0xd800 + (code >> 10), 0xdc00 + (code & 0x3ff))
    } else {
      units.push(code)
    }
    if (units.length >= 4096) {
      text += String.fromCharCode.apply(null, units)
      units.length = 0
    }
  }
  let code = 0
  let needed = 0
  let seen = 0
  let lower = 0x80
  let upper = 0xbf
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]
    if (needed === 0) {
      if (byte < 0x80) push(byte)
      else if (byte >= 0xc2 && byte <= 0xdf) {
        needed = 1
        code = byte & 0x1f
      } else if (byte >= 0xe0 && byte <= 0xef) {
        if (byte === 0xe0) lower = 0xa0
        if (byte === 0xed) upper = 0x9f
        needed = 2
        code = byte & 0x0f
      } else if (byte >= 0xf0 && byte <= 0xf4) {
        if (byte === 0xf0) lower = 0x90
        if (byte === 0xf4) upper = 0x8f
        needed = 3
        code = byte & 0x07
      } else push(REPLACEMENT)
      continue
    }
    if (byte < lower || byte > upper) {
      // The sequence so far is one replacement; this byte starts over.
      code = needed = seen = 0
      lower = 0x80
      upper = 0xbf
      push(REPLACEMENT)
      i--
      continue
    }
    lower = 0x80
    upper = 0xbf
    code = (code << 6) | (byte & 0x3f)
    seen++
    if (seen === needed) {
      push(code)
      code = needed = seen = 0
    }
  }
  if (needed !== 0) push(REPLACEMENT)
  text += String.fromCharCode.apply(null, units)
  return text
}
