// Text typed into a prerendered box before the circuit connects would be lost: the interactive
// render replaces the prerendered input with a fresh, empty one. For inputs marked data-keep-typed,
// the typed text (and focus) moves over to the replacement.
(() => {
  let typed = null; // { id, element, value, focused }

  document.addEventListener('input', (e) => {
    const input = e.target;
    if (input instanceof HTMLInputElement && input.matches('[data-keep-typed]') && input.id) {
      typed = { id: input.id, element: input, value: input.value, focused: document.activeElement === input };
    }
  }, true);

  new MutationObserver(() => {
    if (!typed || !typed.value) {
      return;
    }
    const input = document.getElementById(typed.id);
    if (input instanceof HTMLInputElement && input !== typed.element) {
      typed.element = input;
      if (input.value === '') {
        input.value = typed.value;
        if (typed.focused) {
          input.focus();
          input.setSelectionRange(input.value.length, input.value.length);
        }
      }
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
