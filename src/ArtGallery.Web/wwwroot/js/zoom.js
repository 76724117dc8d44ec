// Zoom and pan for the artwork page: wheel / pinch to zoom about the pointer, drag to pan,
// buttons and keyboard (+, -, 0; arrow keys pan) for the same. Runs in the browser so panning never waits on the server.
export function attach(frame) {
  // The page may already have moved on (a quick click away): nothing to attach to.
  const img = frame ? frame.querySelector('img') : null;
  if (!img) {
    return null;
  }
  let scale = 1, minScale = 1, x = 0, y = 0, dragging = null;
  const pointers = new Map();
  // Every listener goes with the viewer: a page that shows another work attaches a new one to the same frame.
  const listening = new AbortController();
  const signal = listening.signal;

  function fit() {
    const fw = frame.clientWidth, fh = frame.clientHeight;
    const iw = img.naturalWidth || 1, ih = img.naturalHeight || 1;
    minScale = Math.min(fw / iw, fh / ih);
    scale = minScale;
    x = (fw - iw * scale) / 2;
    y = (fh - ih * scale) / 2;
    apply();
  }
  function clamp() {
    const fw = frame.clientWidth, fh = frame.clientHeight;
    const w = img.naturalWidth * scale, h = img.naturalHeight * scale;
    x = w <= fw ? (fw - w) / 2 : Math.min(0, Math.max(fw - w, x));
    y = h <= fh ? (fh - h) / 2 : Math.min(0, Math.max(fh - h, y));
  }
  function apply() { clamp(); img.style.transform = `translate(${x}px, ${y}px) scale(${scale})`; frame.dataset.zoom = (scale / minScale).toFixed(2); }
  function zoomAt(factor, cx, cy) {
    const next = Math.min(minScale * 12, Math.max(minScale, scale * factor));
    x = cx - (cx - x) * (next / scale);
    y = cy - (cy - y) * (next / scale);
    scale = next;
    apply();
  }
  const centre = () => [frame.clientWidth / 2, frame.clientHeight / 2];

  frame.addEventListener('wheel', e => {
    e.preventDefault();
    const r = frame.getBoundingClientRect();
    zoomAt(e.deltaY < 0 ? 1.15 : 1 / 1.15, e.clientX - r.left, e.clientY - r.top);
  }, { passive: false, signal });
  frame.addEventListener('pointerdown', e => {
    frame.setPointerCapture(e.pointerId);
    pointers.set(e.pointerId, [e.clientX, e.clientY]);
    dragging = [e.clientX - x, e.clientY - y];
    frame.style.cursor = 'grabbing';
  }, { signal });
  frame.addEventListener('pointermove', e => {
    if (!pointers.has(e.pointerId)) return;
    const prev = pointers.get(e.pointerId);
    pointers.set(e.pointerId, [e.clientX, e.clientY]);
    if (pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      const other = [...pointers.entries()].find(([id]) => id !== e.pointerId)[1];
      const before = Math.hypot(prev[0] - other[0], prev[1] - other[1]);
      const after = Math.hypot(a[0] - b[0], a[1] - b[1]);
      const r = frame.getBoundingClientRect();
      if (before > 0) zoomAt(after / before, (a[0] + b[0]) / 2 - r.left, (a[1] + b[1]) / 2 - r.top);
      return;
    }
    if (dragging) { x = e.clientX - dragging[0]; y = e.clientY - dragging[1]; apply(); }
  }, { signal });
  const end = e => { pointers.delete(e.pointerId); dragging = null; frame.style.cursor = 'grab'; };
  frame.addEventListener('pointerup', end, { signal });
  frame.addEventListener('pointercancel', end, { signal });
  // A tenth of the frame per arrow press: the picture moves the way the arrow points at what it shows.
  const pans = { ArrowLeft: [1, 0], ArrowRight: [-1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
  frame.addEventListener('keydown', e => {
    if (e.key === '+' || e.key === '=') zoomAt(1.25, ...centre());
    else if (e.key === '-') zoomAt(0.8, ...centre());
    else if (e.key === '0') fit();
    else if (e.key === 'Escape') frame.blur(); // leaves the viewer: Tab goes on from where it was
    else if (e.key in pans) {
      e.preventDefault();
      x += pans[e.key][0] * frame.clientWidth / 10;
      y += pans[e.key][1] * frame.clientHeight / 10;
      apply();
      frame.dataset.pan = `${Math.round(x)},${Math.round(y)}`;
    }
  }, { signal });
  frame.querySelector('[data-zoom-in]')?.addEventListener('click', e => { e.stopPropagation(); zoomAt(1.25, ...centre()); }, { signal });
  frame.querySelector('[data-zoom-out]')?.addEventListener('click', e => { e.stopPropagation(); zoomAt(0.8, ...centre()); }, { signal });
  frame.querySelector('[data-zoom-reset]')?.addEventListener('click', e => { e.stopPropagation(); fit(); }, { signal });
  for (const b of frame.querySelectorAll('.zoom-controls button')) b.addEventListener('pointerdown', e => e.stopPropagation(), { signal });

  if (img.complete && img.naturalWidth) fit(); else img.addEventListener('load', fit, { once: true, signal });
  const observer = new ResizeObserver(() => fit());
  observer.observe(frame);
  return {
    dispose: () => {
      observer.disconnect();
      listening.abort();
      delete frame.dataset.zoom;
    },
  };
}
