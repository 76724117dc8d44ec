// Scroll positions that survive Blazor's client-side navigation.
// - "Back" to a list puts the reader where they were: positions are kept per address in
//   sessionStorage. On a history navigation the saved position is held while the page renders:
//   the old page's content can still be on screen when the address changes, the new one arrives a
//   moment later and shrinks or grows the document (which moves the browser's scroll position), so
//   the position is put back after every change of the page until the page has been still for a
//   while, the reader scrolls, or a few seconds have passed.
// - agScroll.top() is what a pager calls: a new page of results starts at its top.
(() => {
  const prefix = 'ag-scroll:';
  const settleMs = 700;   // the page counts as rendered once it has not changed for this long
  const giveUpMs = 5000;  // a page that keeps changing gets the nearest position it allows by then
  const key = () => prefix + location.pathname + location.search;

  // The restore in progress: { key, y, started, lastChange }, or null.
  let pending = null;

  const save = () => {
    if (!pending) {
      sessionStorage.setItem(key(), String(Math.round(window.scrollY)));
    }
  };

  let queued = false;
  window.addEventListener('scroll', () => {
    if (!queued) {
      queued = true;
      requestAnimationFrame(() => { queued = false; save(); });
    }
  }, { passive: true });

  // Blazor moves between pages with pushState: remember where the old page was before the address changes.
  const push = history.pushState.bind(history);
  history.pushState = (...args) => { save(); pending = null; push(...args); };
  const replace = history.replaceState.bind(history);
  history.replaceState = (...args) => { save(); replace(...args); };

  const stop = () => { pending = null; };

  const hold = () => {
    if (!pending) {
      return;
    }
    const now = performance.now();
    if (key() !== pending.key) {
      stop();
      return;
    }
    const room = Math.max(0, document.documentElement.scrollHeight - window.innerHeight);
    const target = Math.min(pending.y, room);
    if (Math.abs(window.scrollY - target) > 1) {
      window.scrollTo({ top: target, left: 0, behavior: 'instant' });
    }
    const done = room >= pending.y && now - pending.lastChange >= settleMs;
    if (done || now - pending.started >= giveUpMs) {
      stop();
      save();
      return;
    }
    setTimeout(hold, 50);
  };

  // Every change of the page while a restore is pending restarts the "still for a while" clock.
  new MutationObserver(() => {
    if (pending) {
      pending.lastChange = performance.now();
    }
  }).observe(document.documentElement, { childList: true, subtree: true });

  // The reader takes over: their own scrolling ends the restore.
  for (const type of ['wheel', 'touchstart', 'keydown', 'mousedown']) {
    window.addEventListener(type, stop, { passive: true, capture: true });
  }

  const restore = () => {
    const saved = Number(sessionStorage.getItem(key()));
    if (!saved) {
      stop();
      return;
    }
    const now = performance.now();
    const first = pending === null;
    pending = { key: key(), y: saved, started: now, lastChange: now };
    if (first) {
      hold();
    }
  };

  history.scrollRestoration = 'manual';
  window.addEventListener('popstate', restore);
  const navigation = performance.getEntriesByType('navigation')[0];
  if (navigation && navigation.type === 'back_forward') {
    window.addEventListener('DOMContentLoaded', restore);
  }

  window.agScroll = {
    top: () => { stop(); window.scrollTo({ top: 0, left: 0, behavior: 'instant' }); },
  };
})();
