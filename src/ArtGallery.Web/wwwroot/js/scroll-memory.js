// Scroll positions that survive Blazor's client-side navigation.
// - "Back" to a list puts the reader where they were: positions are kept per address in
//   sessionStorage, and on a history navigation the saved one is restored once the page has grown
//   tall enough (the list renders a moment after the address changes).
// - agScroll.top() is what a pager calls: a new page of results starts at its top.
(() => {
  const prefix = 'ag-scroll:';
  const key = () => prefix + location.pathname + location.search;
  let restoring = false;

  const save = () => {
    if (!restoring) {
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
  history.pushState = (...args) => { save(); push(...args); };
  const replace = history.replaceState.bind(history);
  history.replaceState = (...args) => { save(); replace(...args); };

  const restore = () => {
    const saved = Number(sessionStorage.getItem(key()));
    if (!saved) {
      return;
    }
    restoring = true;
    const started = performance.now();
    const attempt = () => {
      const room = document.documentElement.scrollHeight - window.innerHeight;
      if (room >= saved) {
        window.scrollTo(0, saved);
        restoring = false;
      } else if (performance.now() - started < 4000) {
        setTimeout(attempt, 50);
      } else {
        window.scrollTo(0, room);
        restoring = false;
      }
    };
    attempt();
  };

  history.scrollRestoration = 'manual';
  window.addEventListener('popstate', restore);
  const navigation = performance.getEntriesByType('navigation')[0];
  if (navigation && navigation.type === 'back_forward') {
    window.addEventListener('DOMContentLoaded', restore);
  }

  window.agScroll = {
    top: () => window.scrollTo({ top: 0, left: 0, behavior: 'instant' }),
  };
})();
