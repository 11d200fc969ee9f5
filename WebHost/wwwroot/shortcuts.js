// Keyboard shortcuts through @github/hotkey: each control names its keys in data-hotkey, and the library never fires
// one while the person types in a field. ? opens the help (a <dialog>, which Esc closes).
import { install, uninstall } from "/lib/hotkey/index.js";

/** Installs the shortcuts of every control under root; returns what uninstalls them again. */
export function installWithin(root) {
  const controls = [...root.querySelectorAll("[data-hotkey]")];
  controls.forEach((control) => install(control));
  return () => controls.forEach((control) => uninstall(control));
}

const help = document.getElementById("shortcuts-help");
const open = document.querySelector("[data-shortcuts-open]");
if (help && open) {
  open.closest("[hidden]")?.removeAttribute("hidden");
  open.addEventListener("click", () => { if (!help.open) help.showModal(); });
}

// The search box comes with the search issue: / goes to it once it exists, and does nothing before.
const search = document.getElementById("mail-search");
if (search && !search.hasAttribute("data-hotkey")) install(search, "/");

installWithin(document.querySelector("main") ?? document);
