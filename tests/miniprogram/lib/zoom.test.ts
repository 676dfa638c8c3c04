import { IDENTITY, MAX_SCALE, clampOffset, doubleTap, pan, pinch, transformCss, zoomAt } from '../../../miniprogram/src/lib/zoom';

describe('the H5 image viewer arithmetic', () => {
  test('zooming keeps the focus point still and stays between 1x and 5x', () => {
    const z = zoomAt(IDENTITY, 2, { x: 100, y: 50 });
    expect(z).toEqual({ scale: 2, x: -100, y: -50 });
    // The image point under (100, 50) before is still there: (100 - x) / scale is unchanged.
    expect((100 - z.x) / z.scale).toBe(100);
    expect(zoomAt(z, 10, { x: 0, y: 0 }).scale).toBe(MAX_SCALE);
    expect(zoomAt(z, 0.1, { x: 0, y: 0 })).toEqual({ scale: 1, x: 0, y: 0 });
  });

  test('pinching scales by the fingers\' spread and follows their middle', () => {
    const z = pinch(IDENTITY, [{ x: -50, y: 0 }, { x: 50, y: 0 }], [{ x: -100, y: 20 }, { x: 100, y: 20 }]);
    expect(z).toEqual({ scale: 2, x: 0, y: 20 });
  });

  test('dragging moves a zoomed picture but not a whole one; offsets are kept inside the view', () => {
    expect(pan(IDENTITY, 30, 30)).toEqual(IDENTITY);
    expect(pan({ scale: 2, x: 0, y: 0 }, 30, -10)).toEqual({ scale: 2, x: 30, y: -10 });
    expect(clampOffset({ scale: 2, x: 500, y: -500 }, 400, 600)).toEqual({ scale: 2, x: 200, y: -300 });
  });

  test('double tap zooms in at the point, and again goes back to whole', () => {
    const z = doubleTap(IDENTITY, { x: 40, y: 0 });
    expect(z.scale).toBe(2.5);
    expect(doubleTap(z, { x: 0, y: 0 })).toEqual(IDENTITY);
    expect(transformCss({ scale: 2.5, x: -60.4, y: 0 })).toBe('translate(-60px, 0px) scale(2.5)');
  });
});
