// New mail while the client is open: the server watches the folder shown (IMAP IDLE) and says so through server-sent
// events; the list, the folder counts and the tab's title are then read again and swapped in place, without a reload.
// A browser notification for new mail is offered, off until the person turns it on (remembered in this browser).
(() => {
  const client = document.querySelector(".mail-client");
  if (!client) return;
  const notifyKey = "mailaccounts.notify-new-mail";
  const button = document.querySelector("[data-hook=notify-new-mail]");

  const notifying = () => "Notification" in window && Notification.permission === "granted" && localStorage.getItem(notifyKey) === "on";
  const showButton = () => {
    if (!button) return;
    const on = notifying();
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = on ? button.dataset.on : button.dataset.off;
  };
  if (button && "Notification" in window && Notification.permission !== "denied") {
    button.hidden = false;
    showButton();
    button.addEventListener("click", async () => {
      if (notifying()) {
        localStorage.removeItem(notifyKey);
      } else if (await Notification.requestPermission() === "granted") {
        localStorage.setItem(notifyKey, "on");
      }
      showButton();
    });
  }

  const url = client.dataset.watch;
  if (!url || !("EventSource" in window)) return;

  // The parts of the page that change with the folder: L's list region (by its id, or the list section) and the pane.
  const listOf = (root) => root.querySelector("#messages-region") || root.querySelector("section.mail-list");
  const foldersOf = (root) => root.querySelector("#mail-folders");

  let refreshing = null;
  let again = false;
  let announce = false;

  const refresh = async () => {
    if (refreshing) { again = true; return; }
    refreshing = (async () => {
      do {
        again = false;
        // inline=true: the list itself, never the quick shell whose list follows (mail-client.js).
        const address = new URL(window.location.href);
        address.searchParams.set("inline", "true");
        const response = await fetch(address, { credentials: "same-origin", headers: { Accept: "text/html" } });
        if (!response.ok) return;
        const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
        const unreadBefore = Number(client.dataset.unread || 0);
        const list = listOf(document), newList = listOf(fresh);
        if (list && newList) {
          // Ticked rows stay ticked (same name and value) across the swap.
          const ticked = [...list.querySelectorAll("input[type=checkbox]:checked")].map((i) => i.name + "\u0000" + i.value);
          list.replaceChildren(...newList.childNodes);
          list.querySelectorAll("input[type=checkbox]").forEach((i) => { if (ticked.includes(i.name + "\u0000" + i.value)) i.checked = true; });
        }
        const folders = foldersOf(document), newFolders = foldersOf(fresh);
        if (folders && newFolders) folders.replaceChildren(...newFolders.childNodes);
        const quota = document.querySelector("#mail-quota"), newQuota = fresh.querySelector("#mail-quota");
        if (quota && newQuota) quota.replaceWith(document.adoptNode(newQuota));
        const newClient = fresh.querySelector(".mail-client");
        if (newClient) client.dataset.unread = newClient.dataset.unread || "0";
        document.title = fresh.title;
        document.dispatchEvent(new CustomEvent("mail:list-refreshed"));
        if (announce && notifying() && Number(client.dataset.unread || 0) > unreadBefore) {
          new Notification(button.dataset.title, { body: document.title, tag: "mailaccounts-new-mail" });
        }
        announce = false;
      } while (again);
    })().catch(() => {}).finally(() => { refreshing = null; });
  };

  let opened = false;
  const source = new EventSource(url);
  source.addEventListener("ready", () => {
    // After a reconnect something may have come meanwhile; the first time the page is fresh.
    if (opened) refresh();
    opened = true;
  });
  source.addEventListener("new-messages", () => { announce = true; refresh(); });
  source.addEventListener("counts-changed", () => refresh());
  window.addEventListener("pagehide", () => source.close());
})();
