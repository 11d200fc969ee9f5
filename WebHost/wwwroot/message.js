// Fetching a message never marks it read (BODY.PEEK); a person who has it open in the client for a moment has
// read it, so the client sets \Seen then, explicitly, as desktop mail programs do.
(() => {
  const form = document.querySelector("form[data-mark-read]");
  if (!form) return;
  window.setTimeout(async () => {
    const response = await fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" });
    if (response.ok) {
      form.removeAttribute("data-mark-read");
      document.body.dataset.markedRead = "true";
    }
  }, 1500);
})();
