// The list with a selection and a reading pane. j/k (or the arrows) move the selected row and the pane follows;
// Enter or a double click opens the full page. The pane shows the message page's own content (view=pane): the same
// sandboxed frame under the same Content-Security-Policy. Without script the subject links open the full page.
import { install } from "/lib/hotkey/index.js";
import { installWithin } from "/shortcuts.js";
import { wireMessage } from "/message.js";

const client = document.querySelector(".mail-client");
const pane = document.getElementById("reading-pane");
// The list and the pane choice live in the list region, which is replaced when the list comes later (a slow server,
// new mail): they are looked up again each time and wired once per element.
let list = null;
let chooser = null;

const rows = () => [...(list?.querySelectorAll("tr[data-message]") ?? [])];
const link = (row) => row.querySelector("a[data-subject]");
const selected = () => list?.querySelector("tr[data-message].selected") ?? null;
const rowFor = (uid) => rows().find((row) => row.dataset.uid === uid) ?? null;

// The choice is the person's, in this browser: off, right or below.
const key = `mailaccounts.reading-pane.${client?.dataset.user ?? ""}`;
const stored = () => { try { return window.localStorage.getItem(key); } catch { return null; } };
const remember = (value) => { try { window.localStorage.setItem(key, value); } catch { /* private mode: for this page only */ } };

// On a narrow window the stylesheet hides the pane: one pane at a time, the links open the full page.
const paneShown = () => client?.dataset.pane && client.dataset.pane !== "off" && pane && getComputedStyle(pane).display !== "none";

let leave = () => {};
let unkeys = () => {};
let loading = null;

async function show(url, row) {
  loading?.abort();
  const request = new AbortController();
  loading = request;
  pane.setAttribute("aria-busy", "true");
  try {
    const response = await fetch(`${url}&view=pane`, { credentials: "same-origin", signal: request.signal });
    const html = await response.text();
    if (request.signal.aborted) return;
    leave();
    unkeys();
    pane.innerHTML = html;
    const view = pane.querySelector("[data-message-view]");
    leave = wireMessage(view, { onRead: () => row?.classList.replace("unread", "read") });
    unkeys = installWithin(pane);
  } catch (error) {
    if (error.name !== "AbortError") window.location.href = url;
  } finally {
    if (loading === request) pane.removeAttribute("aria-busy");
  }
}

function select(row, { focus = true } = {}) {
  if (!row) return;
  for (const other of rows()) {
    other.classList.remove("selected");
    other.removeAttribute("aria-current");
  }
  row.classList.add("selected");
  row.setAttribute("aria-current", "true");
  if (focus) link(row)?.focus();
  if (paneShown()) show(link(row).href, row);
}

function move(step) {
  const all = rows();
  if (all.length === 0) return;
  const at = all.indexOf(selected());
  const next = at < 0 ? all[step > 0 ? 0 : all.length - 1] : all[Math.min(all.length - 1, Math.max(0, at + step))];
  if (next !== all[at]) select(next);
}

function applyChoice(value) {
  client.dataset.pane = value;
  pane.hidden = value === "off";
  if (value !== "off" && selected() && !pane.querySelector("[data-message-view]")) select(selected(), { focus: false });
}

function wire() {
  list = document.getElementById("messages");
  chooser = document.getElementById("pane-choice");
  if (!client || !list || !pane || !chooser || list.dataset.paneWired) return;
  list.dataset.paneWired = "true";
  chooser.closest("[hidden]")?.removeAttribute("hidden");
  chooser.value = ["off", "right", "below"].includes(stored()) ? stored() : "off";
  applyChoice(chooser.value);
  chooser.addEventListener("change", () => { remember(chooser.value); applyChoice(chooser.value); });

  // A click on a row selects it (its checkbox and other controls keep their own work); a click on the subject does
  // too while the pane is shown. Enter on the focused subject, a modified click or a double click opens the page.
  list.addEventListener("click", (event) => {
    const row = event.target.closest("tr[data-message]");
    if (!row) return;
    const onSubject = event.target.closest("a[data-subject]");
    if (!onSubject && event.target.closest("a, button, input, select, label, textarea")) return;
    if (onSubject && (event.detail === 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0 || !paneShown())) return;
    event.preventDefault();
    select(row);
  });
  list.addEventListener("dblclick", (event) => {
    const row = event.target.closest("tr[data-message]");
    if (row && !event.target.closest("input, button, select, label")) window.location.href = link(row).href;
  });

  // Previous and next inside the pane step through the list (the pane stays when the list is replaced: wired once).
  if (!pane.dataset.navWired) {
    pane.dataset.navWired = "true";
    pane.addEventListener("click", (event) => {
      const nav = event.target.closest("a[data-nav]");
      if (!nav || event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      const row = rowFor(nav.dataset.uid);
      if (row) select(row); else show(nav.href, null);
    });
  }

  // The list's own keys: hotkey fires them only outside fields, and never while a dialog is open.
  list.dataset.hotkey = "j,ArrowDown,k,ArrowUp";
  install(list);
  list.addEventListener("hotkey-fire", (event) => {
    event.preventDefault();
    if (document.querySelector("dialog[open]")) return;
    const pressed = event.detail.path.at(-1);
    move(pressed === "j" || pressed === "ArrowDown" ? 1 : -1);
  });
}

wire();
document.addEventListener("mail-list:loaded", wire);
document.addEventListener("mail:list-refreshed", wire);
