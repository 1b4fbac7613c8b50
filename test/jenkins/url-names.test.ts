import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { badFullName, itemPath, parentAndName, query, rawEncode, viewPath } from '../../src/jenkins/url-names.js';

describe('rawEncode (hudson.Util.rawEncode)', () => {
  test('keeps alphanumerics and ! $ & \' ( ) * + , - . = @ _', () => {
    const safe = "AZaz09!$&'()*+,-.=@_";
    expect(rawEncode(safe)).toBe(safe);
  });
  test('encodes space, the unsafe punctuation and ~ with uppercase hex', () => {
    expect(rawEncode('a b')).toBe('a%20b');
    expect(rawEncode('"#%/:;<>?[\\]^`{|}~')).toBe('%22%23%25%2F%3A%3B%3C%3E%3F%5B%5C%5D%5E%60%7B%7C%7D%7E');
  });
  test('plus stays a literal plus', () => {
    expect(rawEncode('c++ build')).toBe('c++%20build');
  });
  test('control characters and non-ASCII become UTF-8 percent escapes', () => {
    expect(rawEncode('\t\u007f')).toBe('%09%7F');
    expect(rawEncode('jöb')).toBe('j%C3%B6b');
    expect(rawEncode('日本')).toBe('%E6%97%A5%E6%9C%AC');
    expect(rawEncode('x😀y')).toBe('x%F0%9F%98%80y');
  });
  test('decodeURIComponent undoes it for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const enc = rawEncode(s);
        expect(/^[A-Za-z0-9!$&'()*+,\-.=@_%]*$/.test(enc)).toBe(true);
        expect(decodeURIComponent(enc)).toBe(s);
      }),
    );
  });
});

describe('paths', () => {
  test('folders map to job/A/job/B/', () => {
    expect(itemPath('')).toBe('');
    expect(itemPath('a')).toBe('job/a/');
    expect(itemPath('team a/sub/my job')).toBe('job/team%20a/job/sub/job/my%20job/');
  });
  test('views in folders', () => {
    expect(viewPath('My View')).toBe('view/My%20View/');
    expect(viewPath('v', 'f/g')).toBe('job/f/job/g/view/v/');
  });
  test('parent and short name', () => {
    expect(parentAndName('x')).toEqual({ parent: '', name: 'x' });
    expect(parentAndName('a/b/c')).toEqual({ parent: 'a/b', name: 'c' });
  });
  test('names that cannot become a path are refused', () => {
    expect(badFullName('')).toMatch(/empty/);
    expect(badFullName('a//b')).toMatch(/empty path segment/);
    expect(badFullName('a/..')).toMatch(/\.\./);
    expect(badFullName('./x')).toMatch(/"\."/);
    expect(badFullName('a/b c/d+e')).toBeUndefined();
  });
  test('query values are form-encoded', () => {
    expect(query({ name: 'a b+c/ü', from: undefined })).toBe('?name=a%20b%2Bc%2F%C3%BC');
    expect(query({})).toBe('');
  });
});
