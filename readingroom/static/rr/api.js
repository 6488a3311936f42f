// Settings → API tokens: a "Copy token" button (progressive enhancement; the token is selectable without it).
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button[data-copy-from]")) {
    const field = document.getElementById(button.dataset.copyFrom);
    const status = document.getElementById(button.dataset.copyStatus);
    if (!field || !navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(field.value);
        status.textContent = "Copied to the clipboard.";
      } catch {
        field.select();
        status.textContent = "Could not copy: the token is selected, copy it with your keyboard.";
      }
    });
  }
});
