// The header's unread notifications count, kept current without a reload (ADR 0008).
// htmx fetches the badge; this file only decides when: every few seconds while the tab is
// visible, and at once when it becomes visible again. Without JavaScript the count is
// simply the one rendered with the page.
document.addEventListener("DOMContentLoaded", () => {
  const slot = document.getElementById("notification-badge");
  if (!slot || !window.htmx) return;
  // The link's accessible name follows the count ("Notifications, 3 unread"), whatever swapped it.
  const link = slot.closest("a");
  const rename = () => {
    const count = slot.querySelector(".notification-count");
    link.setAttribute("aria-label", count ? `Notifications, ${count.textContent} unread` : "Notifications");
  };
  new MutationObserver(rename).observe(slot, { childList: true, subtree: true, characterData: true });
  const seconds = Math.max(1, Number(slot.dataset.pollSeconds) || 20);
  const refresh = () => {
    if (document.visibilityState === "visible") window.htmx.trigger(slot, "rr-refresh");
  };
  window.setInterval(refresh, seconds * 1000);
  document.addEventListener("visibilitychange", refresh);
  // Swap only when the count changed, so screen readers do not hear the same count again.
  slot.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.target !== slot) return;
    if (event.detail.xhr.status !== 200 || event.detail.serverResponse.trim() === slot.innerHTML.trim()) {
      event.detail.shouldSwap = false;
    }
  });
});

// After "Mark as read" replaces a notification, keep keyboard focus on it (its button is gone).
document.addEventListener("htmx:afterSwap", (event) => {
  const item = event.detail.target;
  if (!item || !item.classList || !item.classList.contains("notification")) return;
  const fresh = document.getElementById(item.id);
  const link = fresh && fresh.querySelector("a");
  if (link) link.focus();
});
