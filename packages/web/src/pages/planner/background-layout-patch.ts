/**
 * vis-timeline 8.5 measures every background item as it is shown: `getComputedStyle` and
 * `offsetWidth` on its content, right after inserting it into the DOM. Adding a window's
 * non-working time (about 3,000 items for 50 work centers over four weeks, breaks included)
 * then forces one layout of the whole chart per item: a second of blocked main thread in
 * Chromium. Our background items never have content (they are plain shading), so their content
 * width is 0 and nothing overflows; answering that without asking the DOM leaves the drawing
 * unchanged and removes the forced layouts.
 */
import * as vis from 'vis-timeline';

interface MeasuredItem {
  overflow: boolean;
  _getDomComponentsSizes: () => { content: { width: number } };
}
interface VisInternals {
  timeline?: { components?: { items?: { BackgroundItem?: { prototype: MeasuredItem } } } };
}

const backgroundItem = (vis as unknown as VisInternals).timeline?.components?.items?.BackgroundItem;
if (backgroundItem) {
  backgroundItem.prototype._getDomComponentsSizes = function (this: MeasuredItem) {
    this.overflow = false;
    return { content: { width: 0 } };
  };
}

// After a vis-timeline upgrade that moves the class, say so: the planner still works, slowly.
if (!backgroundItem) console.warn('planner: vis-timeline BackgroundItem not found; non-working time shading is slow');
