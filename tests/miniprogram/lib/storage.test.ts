import { memoryStore, type KeyValueStore } from '../../../miniprogram/src/lib/key-value-store';
import { monthCacheId, recentCache } from '../../../miniprogram/src/lib/offline-cache';
import { loadLargeType, loadLastVillage, saveLargeType, saveLastVillage } from '../../../miniprogram/src/lib/settings';

describe('months viewed stay readable offline', () => {
  test('saved copies come back with the time they were saved', () => {
    const store = memoryStore();
    const cache = recentCache<{ total: number }>(store, 'm', 3);
    cache.save(monthCacheId(7, '2026-10'), { total: 5 }, 1000);
    expect(cache.load('7/2026-10')).toEqual({ value: { total: 5 }, savedAt: 1000 });
    expect(cache.load('7/2026-09')).toBeNull();
  });

  test('only the last `limit` are kept; opening one again makes it the newest', () => {
    const store = memoryStore();
    const cache = recentCache<number>(store, 'm', 3);
    for (const id of ['a', 'b', 'c']) cache.save(id, 1);
    cache.save('a', 2); // a is newest again
    cache.save('d', 1); // b, the oldest, goes
    expect(cache.ids()).toEqual(['d', 'a', 'c']);
    expect(cache.load('b')).toBeNull();
    expect(Object.keys(store.data).filter((k) => k.startsWith('m:item:')).sort()).toEqual(['m:item:a', 'm:item:c', 'm:item:d']);
    expect(cache.load('a')!.value).toBe(2);
  });

  test('full storage does not break the page, and junk in storage reads as nothing', () => {
    const full: KeyValueStore = { get: () => undefined, set: () => { throw new Error('quota'); }, remove: () => undefined };
    expect(() => recentCache(full, 'm', 3).save('a', 1)).not.toThrow();
    const store = memoryStore();
    store.set('m:item:x', 'garbage');
    store.set('m:index', 'garbage');
    const cache = recentCache(store, 'm', 3);
    expect(cache.load('x')).toBeNull();
    expect(cache.ids()).toEqual([]);
  });
});

describe('remembered settings', () => {
  test('the last village', () => {
    const store = memoryStore();
    expect(loadLastVillage(store)).toBeNull();
    saveLastVillage(store, { id: 3, name: '石门村', townId: 1, townName: '新街镇' });
    expect(loadLastVillage(store)).toEqual({ id: 3, name: '石门村', townId: 1, townName: '新街镇' });
    store.set('yym:lastVillage', { id: 'x' });
    expect(loadLastVillage(store)).toBeNull();
  });

  test('the 大字 switch is off until turned on', () => {
    const store = memoryStore();
    expect(loadLargeType(store)).toBe(false);
    saveLargeType(store, true);
    expect(loadLargeType(store)).toBe(true);
    saveLargeType(store, false);
    expect(loadLargeType(store)).toBe(false);
  });
});
