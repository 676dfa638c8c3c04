import {
  boxToScreenRect,
  dragToBox,
  hitTest,
  imageToScreen,
  screenToImage,
  type Box,
  type FitMode,
  type ImageView,
} from '../../../../miniprogram/src/lib/staff/redaction-geometry';
import type { ZoomState } from '../../../../miniprogram/src/lib/zoom';

/** A 600 × 400 photo in a 300 × 400 element at (10, 20): aspectFit shows it 300 × 200, centred at (10, 120). */
const fitted: ImageView = { element: { left: 10, top: 20, width: 300, height: 400 }, natural: { width: 600, height: 400 }, fit: 'aspectFit' };

const zooms: ZoomState[] = [
  { scale: 1, x: 0, y: 0 },
  { scale: 2, x: 30, y: -40 },
  { scale: 3.7, x: -255.5, y: 120.25 },
  { scale: 5, x: 600, y: -800 },
];
const fits: FitMode[] = ['aspectFit', 'aspectFill', 'scaleToFill', 'widthFix', 'heightFix'];
const elements = [
  { left: 10, top: 20, width: 300, height: 400 },
  { left: 0, top: 88, width: 375, height: 240 },
  { left: -40.5, top: 3.25, width: 1024, height: 700 },
];
const naturals = [
  { width: 600, height: 400 },
  { width: 3024, height: 4032 },
  { width: 1600, height: 1200 },
];

function everyView(): ImageView[] {
  const views: ImageView[] = [];
  for (const element of elements) for (const natural of naturals) for (const fit of fits) for (const zoom of zooms) views.push({ element, natural, fit, zoom });
  return views;
}

describe('where an image pixel is on screen, and back', () => {
  test('aspectFit letterboxes and centres; corners land where the arithmetic says', () => {
    expect(imageToScreen(fitted, { x: 0, y: 0 })).toEqual({ x: 10, y: 120 });
    expect(imageToScreen(fitted, { x: 600, y: 400 })).toEqual({ x: 310, y: 320 });
    expect(screenToImage(fitted, { x: 160, y: 220 })).toEqual({ x: 300, y: 200 });
  });

  test('aspectFill fills the element and crops the overflow evenly', () => {
    const view: ImageView = { ...fitted, fit: 'aspectFill' };
    // Scale max(0.5, 1) = 1: 600 wide in a 300 wide element, 150 px cut each side.
    expect(imageToScreen(view, { x: 0, y: 0 })).toEqual({ x: -140, y: 20 });
    expect(imageToScreen(view, { x: 300, y: 200 })).toEqual({ x: 160, y: 220 });
  });

  test('scaleToFill stretches each axis; widthFix and heightFix start at the top-left corner', () => {
    expect(imageToScreen({ ...fitted, fit: 'scaleToFill' }, { x: 600, y: 400 })).toEqual({ x: 310, y: 420 });
    expect(imageToScreen({ ...fitted, fit: 'widthFix' }, { x: 600, y: 400 })).toEqual({ x: 310, y: 220 });
    expect(imageToScreen({ ...fitted, fit: 'heightFix' }, { x: 600, y: 400 })).toEqual({ x: 610, y: 420 });
  });

  test('a zoom of scale s around the centre then a pan of (x, y), as the viewer\'s CSS transform does', () => {
    const view: ImageView = { ...fitted, zoom: { scale: 2, x: 30, y: -40 } };
    // Centre (160, 220); the unzoomed corner (10, 120) moves to centre + pan + 2 × (corner − centre).
    expect(imageToScreen(view, { x: 0, y: 0 })).toEqual({ x: -110, y: -20 });
    // The image's centre sits under the element's centre, so it only moves by the pan.
    expect(imageToScreen(view, { x: 300, y: 200 })).toEqual({ x: 190, y: 180 });
    expect(screenToImage(view, { x: 190, y: 180 })).toEqual({ x: 300, y: 200 });
  });

  test('screen → image → screen is the identity at every size, fit mode, zoom and pan', () => {
    const points = [{ x: 0, y: 0 }, { x: 17.5, y: 333 }, { x: 1599, y: 4000 }, { x: -20, y: 50 }];
    for (const view of everyView()) {
      for (const p of points) {
        const back = screenToImage(view, imageToScreen(view, p));
        expect(back.x).toBeCloseTo(p.x, 6);
        expect(back.y).toBeCloseTo(p.y, 6);
      }
    }
  });

  test('a box drawn on screen is where its corners are', () => {
    const view: ImageView = { ...fitted, zoom: { scale: 3.7, x: -12, y: 9 } };
    const rect = boxToScreenRect(view, [120, 40, 200, 60]);
    const topLeft = imageToScreen(view, { x: 120, y: 40 });
    const bottomRight = imageToScreen(view, { x: 320, y: 100 });
    expect(rect.left).toBeCloseTo(topLeft.x, 9);
    expect(rect.top).toBeCloseTo(topLeft.y, 9);
    expect(rect.left + rect.width).toBeCloseTo(bottomRight.x, 9);
    expect(rect.top + rect.height).toBeCloseTo(bottomRight.y, 9);
  });
});

describe('dragging out a redaction box', () => {
  test('the same box whichever way the finger moves', () => {
    const a = { x: 60, y: 150 };
    const b = { x: 160, y: 200 };
    const expected: Box = [100, 60, 200, 100];
    expect(dragToBox(fitted, a, b)).toEqual(expected); // down-right
    expect(dragToBox(fitted, b, a)).toEqual(expected); // up-left
    expect(dragToBox(fitted, { x: b.x, y: a.y }, { x: a.x, y: b.y })).toEqual(expected); // down-left
    expect(dragToBox(fitted, { x: a.x, y: b.y }, { x: b.x, y: a.y })).toEqual(expected); // up-right
  });

  test('a box shown on screen, dragged corner to corner, comes back exactly (every view)', () => {
    const boxes: Box[] = [[100, 60, 200, 100], [0, 0, 37, 41], [1, 2, 555, 333]];
    for (const view of everyView()) {
      for (const box of boxes) {
        const r = boxToScreenRect(view, box);
        // Skip boxes too small to draw at this zoom: they are what MIN_BOX_SCREEN_PX forbids.
        if (r.width < 8 || r.height < 8) continue;
        const dragged = dragToBox(view, { x: r.left + r.width, y: r.top }, { x: r.left, y: r.top + r.height });
        expect(dragged).toEqual(box);
      }
    }
  });

  test('fractional pixels round outward: the box never hides less than was drawn', () => {
    // Screen 1 px = image 2 px here: (60.3, 150.3) is image (100.6, 60.6).
    expect(dragToBox(fitted, { x: 60.3, y: 150.3 }, { x: 159.9, y: 199.9 })).toEqual([100, 60, 200, 100]);
  });

  test('a drag past the picture is clipped to its edges, also in the letterbox bars and when zoomed', () => {
    expect(dragToBox(fitted, { x: -500, y: -500 }, { x: 60, y: 150 })).toEqual([0, 0, 100, 60]);
    expect(dragToBox(fitted, { x: 160, y: 200 }, { x: 9999, y: 9999 })).toEqual([300, 160, 300, 240]);
    expect(dragToBox(fitted, { x: 0, y: 0 }, { x: 1000, y: 1000 })).toEqual([0, 0, 600, 400]);
    const zoomed: ImageView = { ...fitted, zoom: { scale: 4, x: 0, y: 0 } };
    // At 4× only the middle of the picture is on screen; dragging over the whole element stays inside it.
    const box = dragToBox(zoomed, { x: 10, y: 20 }, { x: 310, y: 420 })!;
    expect(box[0]).toBeGreaterThanOrEqual(0);
    expect(box[0] + box[2]).toBeLessThanOrEqual(600);
    expect(box).toEqual([225, 100, 150, 200]);
  });

  test('a tap, a short slip, or a drag that only touches the picture makes no box', () => {
    expect(dragToBox(fitted, { x: 100, y: 200 }, { x: 100, y: 200 })).toBeNull();
    expect(dragToBox(fitted, { x: 100, y: 200 }, { x: 105, y: 204 })).toBeNull();
    // Long but thin: a swipe, not a box.
    expect(dragToBox(fitted, { x: 20, y: 200 }, { x: 300, y: 203 })).toBeNull();
    // Wholly in the white bar above the picture.
    expect(dragToBox(fitted, { x: 20, y: 30 }, { x: 200, y: 110 })).toBeNull();
    // Mostly in the bar, a 3 px sliver of picture.
    expect(dragToBox(fitted, { x: 20, y: 30 }, { x: 200, y: 123 })).toBeNull();
  });

  test('the minimum is on screen: zoomed in, a small box of a few image pixels is fine', () => {
    const zoomed: ImageView = { ...fitted, zoom: { scale: 5, x: 0, y: 0 } };
    const start = imageToScreen(zoomed, { x: 300, y: 200 });
    // 12 screen px at 2.5 screen px per image px.
    const box = dragToBox(zoomed, start, { x: start.x + 12, y: start.y + 12 });
    expect(box).toEqual([300, 200, 5, 5]);
    expect(dragToBox(fitted, { x: 160, y: 220 }, { x: 172, y: 232 })).toEqual([300, 200, 24, 24]);
    expect(dragToBox(fitted, { x: 160, y: 220 }, { x: 172, y: 232 }, 20)).toBeNull();
  });
});

describe('which box a tap is on', () => {
  const boxes = [
    { box: [100, 60, 200, 100] as Box },
    { box: [250, 100, 100, 100] as Box },
  ];

  test('inside one box, in the overlap (the last drawn wins), and outside all', () => {
    expect(hitTest(fitted, imageToScreen(fitted, { x: 120, y: 70 }), boxes)).toBe(0);
    expect(hitTest(fitted, imageToScreen(fitted, { x: 275, y: 120 }), boxes)).toBe(1);
    expect(hitTest(fitted, imageToScreen(fitted, { x: 340, y: 190 }), boxes)).toBe(1);
    expect(hitTest(fitted, imageToScreen(fitted, { x: 50, y: 300 }), boxes)).toBe(-1);
    expect(hitTest(fitted, { x: 0, y: 0 }, [])).toBe(-1);
  });

  test('follows the zoom and pan', () => {
    const zoomed: ImageView = { ...fitted, zoom: { scale: 3, x: -200, y: 50 } };
    const onFirst = imageToScreen(zoomed, { x: 110, y: 150 });
    expect(hitTest(zoomed, onFirst, boxes)).toBe(0);
    // The same screen point without the zoom is somewhere else on the picture.
    expect(hitTest(fitted, onFirst, boxes)).not.toBe(0);
  });

  test('slop widens boxes on screen so a finger can hit a thin one', () => {
    const thin = [{ box: [100, 100, 200, 2] as Box }];
    const nearby = imageToScreen(fitted, { x: 200, y: 110 }); // 4 screen px below it
    expect(hitTest(fitted, nearby, thin)).toBe(-1);
    expect(hitTest(fitted, nearby, thin, 6)).toBe(0);
  });
});
