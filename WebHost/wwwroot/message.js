// One message as the person reads it, on its page or in the reading pane: the marks change in place and say so.
// Fetching a message never marks it read (BODY.PEEK); a person who has it open for a moment has read it, so the
// client sets \Seen then, explicitly, as desktop mail programs do, and the button then offers the opposite.

// A form's post succeeded when the page answered with its redirect; a page of its own means it said why not.
async function post(form) {
  try {
    const response = await fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin", redirect: "manual" });
    return response.type === "opaqueredirect";
  } catch {
    return false;
  }
}

// The form now stands for the other choice: its label and the value it posts.
function flip(form, state) {
  form.dataset.state = String(state);
  form.querySelector("input[name=set]").value = String(!state);
  const button = form.querySelector("button");
  button.textContent = button.dataset[state ? "labelTrue" : "labelFalse"];
}

/**
 * Wires one message view. onRead runs once the message is marked read (the pane takes the list's bold off).
 * Returns what to call when the view goes away: a message left before the moment is not marked read.
 */
export function wireMessage(view, { onRead } = {}) {
  if (!view) return () => {};
  for (const form of view.querySelectorAll("form[data-flag]")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = form.querySelector("button");
      button.disabled = true;
      const state = form.dataset.state !== "true";
      if (await post(form)) {
        flip(form, state);
        form.removeAttribute("data-mark-read");
        if (form.dataset.flag === "seen" && state) onRead?.();
      } else {
        // The plain post then shows the server's words on the page.
        form.submit();
      }
      button.disabled = false;
    });
  }

  const markRead = view.querySelector("form[data-mark-read]");
  if (!markRead) return () => {};
  const timer = window.setTimeout(async () => {
    if (!(await post(markRead))) return;
    markRead.removeAttribute("data-mark-read");
    flip(markRead, true);
    view.dataset.markedRead = "true";
    document.body.dataset.markedRead = "true";
    onRead?.();
  }, 1500);
  return () => window.clearTimeout(timer);
}

wireMessage(document.querySelector("[data-message-view]"));
