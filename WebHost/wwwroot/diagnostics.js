// Admin » Diagnostics: while a rebuild runs, ask the server how far it got and show it in place (the page used to
// reload itself every two seconds). Without script the page still shows the state it was loaded with.
(() => {
  const progress = document.getElementById("rebuild-progress");
  if (!progress || progress.dataset.state !== "running") {
    return;
  }

  const button = document.getElementById("rebuild");
  const poll = async () => {
    try {
      const response = await fetch(progress.dataset.progressUrl, { headers: { Accept: "application/json" }, cache: "no-store" });
      if (response.ok) {
        const { state, text } = await response.json();
        progress.textContent = text;
        progress.classList.toggle("error", state === "failed");
        if (state) {
          progress.dataset.state = state;
        } else {
          delete progress.dataset.state;
        }
        if (state !== "running") {
          if (button) button.disabled = false;
          return;
        }
      }
    } catch {
      // The server restarting mid-rebuild: keep asking.
    }
    setTimeout(poll, 1000);
  };
  setTimeout(poll, 500);
})();
