// Ctrl-click (Cmd on a Mac) adds an account to the view or takes it out; their inboxes then show together.
(() => {
  const client = document.querySelector(".mail-client");
  if (!client) return;
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
})();
