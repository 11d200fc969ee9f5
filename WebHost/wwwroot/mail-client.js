// The mail client's list: Ctrl-click on accounts, selection (checkboxes, Select menu, Shift and Ctrl), drag to a folder,
// collapsible threads, and the list fetched after the page when the server may be slow. Without this script the form
// around the table still posts the checked rows, and the page renders its list inline.
(() => {
  const client = document.querySelector(".mail-client");
  if (!client) return;
  // This browser runs the script: from now on the page comes at once and the list follows (see IndexModel.Deferred).
  document.cookie = "list-script=1; path=/Email; SameSite=Lax; max-age=31536000";

  // Ctrl-click (Cmd on a Mac) adds an account to the view or takes it out; their inboxes then show together.
  client.querySelectorAll("a[data-account]").forEach((link) => {
    link.addEventListener("click", (event) => {
      if (!event.ctrlKey && !event.metaKey) return;
      event.preventDefault();
      const selected = new Set(client.dataset.selected.split(",").filter(Boolean));
      const id = link.dataset.account;
      if (selected.has(id) && selected.size > 1) selected.delete(id); else selected.add(id);
      window.location.href = "/Email?accounts=" + [...selected].join(",");
    });
  });

  const region = client.querySelector("section.mail-list");
  let dragging = false;

  function enhanceList() {
    const form = region.querySelector("form[data-bulk]");
    if (!form) return;
    const rows = () => [...form.querySelectorAll("tr[data-message]")];
    const box = (row) => row.querySelector("input[data-select]");
    const mark = (row) => row.classList.toggle("selected", !!box(row)?.checked);
    let last = null;

    const menu = form.querySelector("select[data-select-all]");
    if (menu) {
      menu.closest("[data-select-all-label]").hidden = false;
      menu.addEventListener("change", () => {
        const which = menu.value;
        rows().forEach((row) => {
          const b = box(row);
          if (!b || !which) return;
          b.checked = which === "all" || (which === "read" && row.classList.contains("read"))
            || (which === "unread" && row.classList.contains("unread")) || (which === "flagged" && row.classList.contains("flagged"));
          mark(row);
        });
        menu.value = "";
      });
    }

    rows().forEach((row) => {
      const b = box(row);
      if (!b) return;
      b.addEventListener("click", (event) => {
        // Shift-click checks or clears every row between the last one clicked and this one.
        if (event.shiftKey && last && last !== row) {
          const all = rows();
          const [from, to] = [all.indexOf(last), all.indexOf(row)].sort((a, b) => a - b);
          all.slice(from, to + 1).forEach((r) => { if (box(r)) { box(r).checked = b.checked; mark(r); } });
        }
        last = row;
        mark(row);
      });
      // Ctrl-click (Cmd on a Mac) on a row, not on its link or buttons, toggles it.
      row.addEventListener("click", (event) => {
        if (!(event.ctrlKey || event.metaKey) || event.target.closest("a, button, input")) return;
        event.preventDefault();
        b.checked = !b.checked;
        last = row;
        mark(row);
      });

      row.draggable = true;
      row.addEventListener("dragstart", (event) => {
        if (!b.checked) {
          rows().forEach((r) => { if (box(r)) { box(r).checked = r === row; mark(r); } });
        }
        dragging = true;
        const uids = rows().filter((r) => box(r)?.checked).map((r) => r.dataset.uid);
        event.dataTransfer.setData("text/plain", uids.join(","));
        event.dataTransfer.effectAllowed = "move";
      });
      row.addEventListener("dragend", () => { dragging = false; });
    });

    // A folder of the folder pane takes the selected rows dropped on it: the Move action, to that folder.
    const target = form.querySelector("#bulk-target");
    const move = form.querySelector("button[data-bulk-action='move']");
    client.querySelectorAll("li[data-folder]").forEach((folder) => {
      const allowed = () => dragging && target && [...target.options].some((o) => o.value === folder.dataset.folder);
      folder.addEventListener("dragover", (event) => {
        if (!allowed()) return;
        event.preventDefault();
        folder.classList.add("drop-target");
      });
      folder.addEventListener("dragleave", () => folder.classList.remove("drop-target"));
      folder.addEventListener("drop", (event) => {
        folder.classList.remove("drop-target");
        if (!allowed()) return;
        event.preventDefault();
        target.value = folder.dataset.folder;
        form.requestSubmit(move);
      });
    });

    // Threads: a reply's row hides with its parent's.
    rows().filter((row) => row.hasAttribute("data-has-replies")).forEach((row) => {
      const toggle = document.createElement("button");
      toggle.type = "button";
      toggle.className = "thread-twisty";
      toggle.setAttribute("aria-expanded", "true");
      toggle.setAttribute("aria-label", row.querySelector("[data-subject]")?.textContent ?? "");
      toggle.dataset.threadToggle = "";
      row.querySelector("td.subject").prepend(toggle);
      toggle.addEventListener("click", () => {
        const open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", String(open));
        const depth = Number(row.dataset.depth);
        let next = row.nextElementSibling;
        while (next && Number(next.dataset.depth) > depth) {
          next.hidden = !open;
          if (open) next.querySelectorAll("[data-thread-toggle]").forEach((t) => t.setAttribute("aria-expanded", "true"));
          next = next.nextElementSibling;
        }
      });
    });
  }

  // The page came without its list (the server may be slow or silent): fetch it and put it in; the rest stays usable.
  const loading = region?.querySelector("[data-loading][data-src]");
  if (loading) {
    fetch(loading.dataset.src, { credentials: "same-origin" })
      .then((response) => response.text())
      .then((html) => {
        const fetched = new DOMParser().parseFromString(html, "text/html");
        const list = fetched.querySelector("section.mail-list");
        const folders = fetched.querySelector("ul.mail-folders");
        const here = client.querySelector("ul.mail-folders");
        if (folders && here) here.replaceWith(document.adoptNode(folders));
        const quota = fetched.querySelector("#mail-quota"), quotaHere = client.querySelector("#mail-quota");
        if (quota && quotaHere) quotaHere.replaceWith(document.adoptNode(quota));
        // The notice of the action just done came with the shell (it is read once): it stays above the list.
        const notice = region.querySelector("[data-list-notice]");
        if (list) region.replaceChildren(...[...list.childNodes].map((n) => document.adoptNode(n)));
        if (notice && !region.querySelector("[data-list-notice]")) region.prepend(notice);
        // The shell did not know the folder's counts: the title ("(3) Inbox") and the unread mark come with the list.
        document.title = fetched.title;
        const counted = fetched.querySelector(".mail-client");
        if (counted) client.dataset.unread = counted.dataset.unread || "0";
        enhanceList();
        region.dispatchEvent(new CustomEvent("mail-list:loaded", { bubbles: true }));
      })
      .catch(() => { /* a navigation away aborts the fetch; the loading line stays until then */ });
  } else if (region) {
    enhanceList();
  }
  // New mail swaps the list and the folders in place (new-mail.js): the new rows get the same tools.
  document.addEventListener("mail:list-refreshed", enhanceList);
})();
