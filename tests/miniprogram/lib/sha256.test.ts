import { createHash, randomBytes } from 'node:crypto';
import { sha256, sha256Hex, sha256HexOfText } from '../../../miniprogram/src/lib/sha256';
import { utf8Decode, utf8Encode } from '../../../miniprogram/src/lib/utf8';

const nodeSha = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

describe('the mini-program computes SHA-256 itself (WeChat has no WebCrypto)', () => {
  test('known answers from FIPS 180-4', () => {
    expect(sha256HexOfText('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256HexOfText('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256HexOfText('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  test('matches Node crypto at every length around the 64-byte block and padding edges', () => {
    for (let length = 0; length <= 200; length++) {
      const bytes = new Uint8Array(randomBytes(length));
      expect(sha256Hex(bytes)).toBe(nodeSha(bytes));
    }
  });

  test('matches Node crypto on large input (a big month manifest)', () => {
    const bytes = new Uint8Array(randomBytes(300_000));
    expect(sha256Hex(bytes)).toBe(nodeSha(bytes));
    expect(sha256(bytes)).toHaveLength(32);
  });

  test('hashes text as its UTF-8 bytes, Chinese and emoji included', () => {
    for (const text of ['甲一村 2026年10月 小发票公开', '{"payee":"红星水泥厂","amountFen":123456}', '¥ € 𠀋 😀', 'a'.repeat(1000) + '村']) {
      expect(sha256HexOfText(text)).toBe(nodeSha(Buffer.from(text, 'utf8')));
    }
  });
});

describe('UTF-8 without TextEncoder', () => {
  test('encodes like Node, including surrogate pairs and lone surrogates', () => {
    for (const text of ['', 'abc', 'é', '村务公开', '𠀋😀', '\u0000\u007f\u0080\u07ff\u0800\uffff', 'x\ud800y', '\udc00']) {
      expect(Buffer.from(utf8Encode(text))).toEqual(Buffer.from(text, 'utf8'));
    }
  });

  test('decodes like Node, long text and malformed bytes included', () => {
    const long = '收款方：东风五金店；'.repeat(2000) + '😀';
    expect(utf8Decode(new Uint8Array(Buffer.from(long, 'utf8')))).toBe(long);
    for (const bytes of [[0xff], [0xe6, 0x9d], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0x61, 0xf0, 0x9f, 0x98], [0xe6, 0x9d, 0x91, 0x80], [0xe0, 0x80, 0x41], [0xf4, 0x90, 0x80, 0x80], [0xe6, 0x41]]) {
      expect(utf8Decode(new Uint8Array(bytes))).toBe(new TextDecoder().decode(new Uint8Array(bytes)));
    }
    const random = new Uint8Array(randomBytes(5000));
    expect(utf8Decode(random)).toBe(new TextDecoder().decode(random));
  });
});
