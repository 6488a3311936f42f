// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Character counter for any textarea with data-maxlength (the composer).
  for (const area of document.querySelectorAll("textarea[data-maxlength]")) {
    const out = document.getElementById(area.dataset.counter);
    if (!out) continue;
    const max = Number(area.dataset.maxlength);
    const update = () => { out.textContent = `${max - area.value.length} characters left`; };
    area.addEventListener("input", update);
    update();
  }
});
