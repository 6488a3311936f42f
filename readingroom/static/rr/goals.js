// Reflection form: a button that inserts the optional prompts as headings (shown only with JS;
// without it the prompts are in the hint text).
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-insert-prompts]")) {
    const area = document.getElementById(button.dataset.insertPrompts);
    if (!area) continue;
    button.hidden = false;
    button.addEventListener("click", () => {
      const headings = button.dataset.prompts.split("|").map((p) => `### ${p}\n\n`).join("");
      const start = area.selectionStart ?? area.value.length;
      const before = area.value.slice(0, start);
      const gap = before && !before.endsWith("\n\n") ? (before.endsWith("\n") ? "\n" : "\n\n") : "";
      area.value = before + gap + headings + area.value.slice(start);
      area.focus();
      const caret = (before + gap).length + headings.split("\n\n")[0].length + 2;
      area.setSelectionRange(caret, caret);
    });
  }
});
