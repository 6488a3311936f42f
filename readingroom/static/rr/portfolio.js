// Share links: a "Copy link" button for the new link (the field stays selectable without JS).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const field = document.querySelector(button.dataset.copy);
  if (!field) return;
  field.select();
  navigator.clipboard?.writeText(field.value).then(() => { button.textContent = "Copied"; }, () => {});
});
document.querySelectorAll("[data-copy][hidden]").forEach((button) => { button.hidden = false; });
