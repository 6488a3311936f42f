// A conversation's live updates (ADR 0014). The page works without this file: messages are
// plain articles, the composer a plain form. With it:
// - a WebSocket to the live process hears {"changed": <message id>} and the page fetches what
//   it may see from the since URL (server-rendered, sanitised HTML from our own origin);
// - while the socket is not open (no live process, a proxy in the way), the page polls the
//   since URL every data-poll-seconds while the tab is visible, and keeps trying the socket;
// - the composer sends with fetch and shows the new message at once; on any error it falls
//   back to the ordinary form post, which shows the server's message and keeps the text.
(() => {
  "use strict";

  const root = document.getElementById("conversation");
  if (!root || !root.dataset.sinceUrl) return;
  const list = document.getElementById("dm-list");
  const announcer = document.getElementById("dm-announce");
  const composer = document.getElementById("composer");
  const sinceUrl = root.dataset.sinceUrl;
  const pollMs = Math.max(1, Number(root.dataset.pollSeconds) || 10) * 1000;
  let newest = Number(root.dataset.newest) || 0;
  let socket = null;
  let socketOpen = false;
  let retryMs = 2000;
  let pollTimer = null;
  let busy = false;
  let again = null; // a fetch asked for while one was running: [changed ids]

  function liveUrl() {
    if (root.dataset.liveUrl) return root.dataset.liveUrl;
    const port = root.dataset.livePort;
    if (!port) return "";
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    return `${scheme}://${window.location.hostname}:${port}/ws/conversations/${root.dataset.conversationId}/`;
  }

  function announce(text) {
    if (!announcer) return;
    // Clear first so the same words twice are still spoken.
    announcer.textContent = "";
    window.setTimeout(() => { announcer.textContent = text; }, 50);
  }

  function nearBottom() {
    const doc = document.documentElement;
    return window.innerHeight + window.scrollY >= doc.scrollHeight - 200;
  }

  // Put each fetched article in place: replace one already shown (e.g. now deleted), else append.
  // A just-sent message does not move `newest` on: messages between the last fetched one and it
  // may not have been fetched yet (the refresh after sending brings them).
  function insert(html, { advance = true } = {}) {
    const template = document.createElement("template");
    template.innerHTML = html;
    const stick = nearBottom();
    const fresh = [];
    let last = null;
    template.content.querySelectorAll("article.dm[data-message-id]").forEach((article) => {
      const id = Number(article.dataset.messageId);
      const existing = document.getElementById(article.id);
      if (existing) {
        existing.replaceWith(article);
      } else {
        list.appendChild(article);
        last = article;
        if (article.dataset.mine !== "true" && article.dataset.deleted !== "true") fresh.push(article);
      }
      if (advance && id > newest) newest = id;
    });
    const empty = document.getElementById("dm-empty");
    if (empty && list.children.length) empty.remove();
    if (fresh.length === 1) announce(`New message from ${fresh[0].dataset.senderName}`);
    else if (fresh.length > 1) announce(`${fresh.length} new messages`);
    if (last && stick) last.scrollIntoView({ block: "nearest" });
  }

  async function refresh(changed) {
    if (busy) {
      again = again || [];
      if (changed) again.push(changed);
      return;
    }
    busy = true;
    try {
      const params = new URLSearchParams({ after: String(newest) });
      if (changed && changed <= newest) params.set("changed", String(changed));
      const response = await fetch(`${sinceUrl}?${params}`, {
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      });
      if (response.ok) {
        insert(await response.text());
        if (response.headers.get("RR-More") === "1") again = again || [];
      }
    } catch (error) {
      // Offline for a moment: the next event or poll tries again.
    } finally {
      busy = false;
    }
    if (again) {
      const pending = again;
      again = null;
      if (pending.length) pending.forEach((id) => refresh(id));
      else refresh();
    }
  }

  function startPolling() {
    if (pollTimer) return;
    pollTimer = window.setInterval(() => {
      if (!socketOpen && document.visibilityState === "visible") refresh();
    }, pollMs);
  }

  function stopPolling() {
    if (pollTimer) window.clearInterval(pollTimer);
    pollTimer = null;
  }

  function connect() {
    const url = liveUrl();
    if (!url || !("WebSocket" in window)) return;
    try {
      socket = new WebSocket(url);
    } catch (error) {
      return; // a URL the browser refuses: polling carries on
    }
    socket.addEventListener("open", () => {
      socketOpen = true;
      retryMs = 2000;
      root.dataset.live = "socket";
      stopPolling();
      refresh(); // anything sent between the page load and now
    });
    socket.addEventListener("message", (event) => {
      let data = null;
      try {
        data = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      const changed = data && Number(data.changed);
      if (changed > 0) refresh(changed);
    });
    socket.addEventListener("close", () => {
      socketOpen = false;
      socket = null;
      root.dataset.live = "polling";
      startPolling();
      window.setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 60000);
    });
  }

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && !socketOpen) refresh();
  });

  if (composer && window.fetch && window.FormData) {
    composer.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = composer.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      try {
        const response = await fetch(composer.action, {
          method: "POST",
          body: new FormData(composer),
          credentials: "same-origin",
          headers: { "X-Requested-With": "fetch" },
        });
        if (!response.ok) throw new Error(String(response.status));
        insert(await response.text(), { advance: false });
        composer.reset();
        announce("Message sent.");
        const body = composer.querySelector("textarea");
        if (body) body.focus();
        refresh(); // anything that arrived just before ours
      } catch (error) {
        composer.submit(); // the ordinary post shows the server's answer and keeps the text
      } finally {
        if (button) button.disabled = false;
      }
    });
  }

  root.dataset.live = "polling";
  startPolling();
  connect();
})();
