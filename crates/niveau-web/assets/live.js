// SPDX-License-Identifier: MPL-2.0
// Niveau's one progressive enhancement. A form marked `data-live` (the self-evaluation
// editor, the evaluation workbench) works without JavaScript: its "Opdater" button posts
// the form with handling=opdater and the server answers with the recomputed page. With
// JavaScript, a change of any select, text field or text area (an answer, documentation,
// links) does that post in the background and copies the recomputed parts (elements with
// `data-live-part` and an id) into the page, so the indicated level, the count table, the
// gaps and each answer's explanation follow what is typed, never stale. Typing waits for a
// pause. Nothing is saved by it, and nothing typed is replaced: only the recomputed parts.
'use strict';

document.querySelectorAll('form[data-live]').forEach((form) => {
  let timer = null;
  let latest = 0;
  const refresh = async () => {
    latest += 1;
    const mine = latest;
    const body = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (typeof value === 'string') body.append(name, value); // Files stay out.
    }
    body.set('handling', 'opdater');
    let text;
    try {
      const response = await fetch(form.action.split('#')[0], {
        method: 'POST',
        body,
        credentials: 'same-origin',
        headers: { Accept: 'text/html' },
      });
      if (!response.ok) return;
      text = await response.text();
    } catch {
      return; // Offline or refused: the button still does the same.
    }
    if (mine !== latest) return; // A newer change is on its way.
    const fresh = new DOMParser().parseFromString(text, 'text/html');
    document.querySelectorAll('[data-live-part][id]').forEach((part) => {
      const next = fresh.getElementById(part.id);
      if (next && part.innerHTML !== next.innerHTML) part.innerHTML = next.innerHTML;
    });
    form.dataset.liveUpdated = String(mine);
  };
  const typed = (target) =>
    target instanceof HTMLTextAreaElement ||
    (target instanceof HTMLInputElement && target.type !== 'file');
  form.addEventListener('change', (event) => {
    if (!(event.target instanceof HTMLSelectElement) && !typed(event.target)) return;
    clearTimeout(timer);
    timer = setTimeout(refresh, 150);
  });
  form.addEventListener('input', (event) => {
    if (!typed(event.target)) return;
    clearTimeout(timer);
    timer = setTimeout(refresh, 600);
  });
});

// The evaluation workbench. A button or form marked `data-confirm` asks first (without
// JavaScript, publishing needs its ticked box and discarding keeps the evaluation in the
// history). A "use the proposal" button (`data-use-proposal`) copies the proposal into
// the basis field at once instead of posting the form (which does the same without
// JavaScript); nothing is saved until the secretary saves.
document.querySelectorAll('form[data-confirm]').forEach((form) => {
  form.addEventListener('submit', (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
});
document.querySelectorAll('button[data-confirm]').forEach((button) => {
  button.addEventListener('click', (event) => {
    if (!window.confirm(button.dataset.confirm)) event.preventDefault();
  });
});
document.querySelectorAll('button[data-use-proposal]').forEach((button) => {
  button.addEventListener('click', (event) => {
    const id = button.dataset.useProposal;
    const basis = document.getElementById(`grundlag-${id}`);
    const text = document.getElementById(`forslagstekst-${id}`);
    if (!basis || !text) return;
    event.preventDefault();
    basis.value = text.textContent;
    document.getElementById(`forslag-${id}`)?.remove();
    basis.focus();
  });
});
