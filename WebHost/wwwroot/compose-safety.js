// The compose form's safety nets: Cc and Bcc behind buttons, address suggestions, draft autosave and the warning
// before leaving a changed form. The body is read from the form's textarea, which the editor keeps current whenever
// it dispatches compose:changed on the form; without script the plain form works as before.
(() => {
  const form = document.querySelector("form.compose");
  if (!form) return;

  // Cc and Bcc: shown at once when they hold something (reply all, a draft, an error on them), else behind a button.
  const reveal = form.querySelector("[data-reveal-buttons]");
  if (reveal) {
    let offered = false;
    for (const button of reveal.querySelectorAll("[data-reveal]")) {
      const field = form.querySelector(`[data-optional-field="${button.dataset.reveal}"]`);
      const input = field && field.querySelector("input");
      if (!input) continue;
      const error = field.querySelector(".error");
      if (input.value.trim() === "" && !(error && error.textContent.trim() !== "")) {
        field.hidden = true;
        offered = true;
        button.addEventListener("click", () => {
          field.hidden = false;
          button.hidden = true;
          button.setAttribute("aria-expanded", "true");
          input.focus();
        });
      } else {
        button.hidden = true;
      }
    }
    reveal.hidden = !offered;
  }

  // Address suggestions: a combobox per address field, for the address being typed (the text after the last comma
  // or semicolon before the caret), with arrow keys, Enter and Escape.
  const suggestionsUrl = form.dataset.suggestions;
  let comboboxes = 0;
  for (const input of form.querySelectorAll("input[data-address-field]")) {
    if (!suggestionsUrl) break;
    const id = `address-suggestions-${++comboboxes}`;
    const list = document.createElement("ul");
    list.id = id;
    list.className = "address-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", form.dataset.suggestionsLabel || "");
    list.hidden = true;
    input.insertAdjacentElement("afterend", list);
    input.parentElement.classList.add("has-suggestions");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);

    let asked = 0;
    let timer = 0;
    let active = -1;
    let found = [];
    const typed = () => {
      const caret = input.selectionStart ?? input.value.length;
      const before = input.value.slice(0, caret);
      const start = Math.max(before.lastIndexOf(","), before.lastIndexOf(";")) + 1;
      return { start, caret, text: before.slice(start).trim() };
    };
    const close = () => {
      list.hidden = true;
      list.replaceChildren();
      found = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    };
    const mark = (index) => {
      active = index;
      [...list.children].forEach((option, i) => option.setAttribute("aria-selected", i === index ? "true" : "false"));
      if (index >= 0) input.setAttribute("aria-activedescendant", list.children[index].id);
      else input.removeAttribute("aria-activedescendant");
    };
    const choose = (index) => {
      const suggestion = found[index];
      if (!suggestion) return;
      const { start, caret } = typed();
      const rest = input.value.slice(caret);
      const next = rest.search(/[,;]/);
      const after = next < 0 ? "" : rest.slice(next + 1).trimStart();
      const head = input.value.slice(0, start).trimEnd();
      const inserted = (head.length > 0 ? head + " " : "") + suggestion.text + ", ";
      input.value = inserted + after;
      input.setSelectionRange(inserted.length, inserted.length);
      close();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    };
    const ask = async () => {
      const { text } = typed();
      if (text.length === 0) { close(); return; }
      const mine = ++asked;
      let answer = [];
      try {
        const response = await fetch(`${suggestionsUrl}&q=${encodeURIComponent(text)}`, { credentials: "same-origin", headers: { Accept: "application/json" } });
        if (response.ok) answer = await response.json();
      } catch { answer = []; }
      if (mine !== asked) return;
      const present = input.value.toLowerCase();
      found = answer.filter((s) => !present.includes(`<${s.address.toLowerCase()}>`) && !new RegExp(`(^|[,;\\s])${s.address.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*([,;]|$)`, "i").test(input.value));
      if (found.length === 0 || document.activeElement !== input) { close(); return; }
      list.replaceChildren(...found.map((s, i) => {
        const option = document.createElement("li");
        option.id = `${id}-${i}`;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.address = s.address;
        const words = document.createElement("span");
        words.className = "suggestion-text";
        words.textContent = s.text;
        option.append(words);
        if (s.invalid) {
          // The same mark as the pages write (_AddressMark): a word, with the evidence on hover and for screen readers.
          const mark = document.createElement("span");
          mark.className = "address-invalid";
          mark.title = s.invalidDetail || "";
          mark.textContent = s.invalid;
          const detail = document.createElement("span");
          detail.className = "visually-hidden";
          detail.textContent = ` (${s.invalidDetail || ""})`;
          mark.append(detail);
          option.append(mark);
          option.dataset.invalid = "true";
        }
        option.addEventListener("mousedown", (event) => event.preventDefault());
        option.addEventListener("click", () => choose(i));
        return option;
      }));
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      mark(-1);
    };
    input.addEventListener("input", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 150);
    });
    input.addEventListener("keydown", (event) => {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); mark((active + 1) % found.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); mark(active <= 0 ? found.length - 1 : active - 1); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(active); }
      else if (event.key === "Escape") { event.preventDefault(); close(); }
    });
    input.addEventListener("blur", () => window.setTimeout(close, 100));
  }

  // Invalid marks as the user leaves an address field: the page asks for the field's marks and shows them under it,
  // as it writes them itself when it opens; Send still warns, script or not.
  const marksUrl = form.dataset.marks;
  for (const input of form.querySelectorAll("input[data-marks-in]")) {
    const marks = form.querySelector(`#${input.dataset.marksIn}`);
    if (!marksUrl || !marks) break;
    let asked = 0;
    let last = input.value;
    const refresh = async () => {
      if (input.value === last) return;
      last = input.value;
      const mine = ++asked;
      try {
        const response = await fetch(`${marksUrl}&addresses=${encodeURIComponent(input.value)}`, { credentials: "same-origin", headers: { Accept: "text/html" } });
        // A session that ended answers with the sign-in page, which is no list of marks.
        if (!response.ok || response.redirected || mine !== asked) return;
        const html = await response.text();
        if (mine === asked) marks.innerHTML = html;
      } catch {
        // Offline: the marks stay as they were; Send warns regardless.
      }
    };
    input.addEventListener("change", refresh);
    input.addEventListener("blur", refresh);
  }

  // Autosave: a few seconds after the form changed, the form (without files) goes to the Save-draft handler, which
  // keeps the same draft; the address then opens that draft, so that a reload finds what was written.
  const status = form.querySelector("[data-autosave-status]");
  const autosaveUrl = form.dataset.autosave;
  const Delay = 3000;
  const written = () => {
    const data = new FormData(form);
    for (const name of ["Files", "Input.Removed", "Input.Forwarded", "__RequestVerificationToken"]) data.delete(name);
    return new URLSearchParams([...data].filter(([, value]) => typeof value === "string")).toString();
  };
  let saved = written();
  let submitting = false;
  let saving = false;
  let pending = 0;
  const save = async () => {
    pending = 0;
    const now = written();
    if (submitting || saving || now === saved || !autosaveUrl) return;
    saving = true;
    const data = new FormData(form);
    for (const name of ["Files", "Input.Removed", "Input.Forwarded"]) data.delete(name);
    try {
      const response = await fetch(autosaveUrl, { method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" } });
      const answer = await response.json().catch(() => ({}));
      if (submitting) return;
      if (response.ok && answer.saved) {
        saved = now;
        if (answer.draft) history.replaceState(history.state, "", answer.draft);
        const time = new Date().toLocaleTimeString(document.documentElement.lang || undefined, { hour: "2-digit", minute: "2-digit" });
        status.textContent = status.dataset.savedText.replace("{0}", time);
        status.dataset.state = "saved";
      } else {
        status.textContent = `${status.dataset.failedText} ${answer.problem || response.statusText}`;
        status.dataset.state = "failed";
      }
    } catch {
      // Offline or the host restarting: the next change tries again; the leaving warning still guards the text.
      status.dataset.state = "failed";
    } finally {
      saving = false;
      if (!submitting && written() !== saved) changed();
    }
  };
  const changed = () => {
    if (!pending && !submitting) pending = window.setTimeout(save, Delay);
  };
  for (const kind of ["input", "change", "compose:changed"]) form.addEventListener(kind, changed);
  form.addEventListener("submit", () => {
    submitting = true;
    window.clearTimeout(pending);
  });

  // Leaving a changed form asks first; not after Send, Save or an autosave that caught up.
  window.addEventListener("beforeunload", (event) => {
    if (submitting || written() === saved) return;
    event.preventDefault();
    event.returnValue = "";
  });
})();
