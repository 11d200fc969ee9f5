// Choosing a language submits the switcher's form at once. This lives in a file rather than in an onchange
// attribute because a page under a Content-Security-Policy (the message page) runs no inline script; there the
// attribute was refused and the switcher did nothing.
(() => {
  const choice = document.getElementById("culture-switch");
  choice?.addEventListener("change", () => choice.form.submit());
})();

// Times are shown in the reader's zone: the browser's unless General settings name one. The server reads it from this
// cookie on the next page (the first page after signing in already has it: the sign-in page sets it).
(() => {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone) {
    document.cookie = "MailAccounts.TimeZone=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=lax";
  }
})();

// On a phone the mail client shows one pane: the accounts and folders open from a menu button. The button is hidden
// in the markup, so without script (or on a wide screen, see site.css) the panes simply stand side by side.
(() => {
  const toggle = document.querySelector("[data-menu-toggle]");
  const client = toggle?.closest(".mail-client");
  if (!toggle || !client) {
    return;
  }

  client.classList.add("menu-folds");
  toggle.hidden = false;
  toggle.addEventListener("click", () => {
    const open = client.classList.toggle("menu-open");
    toggle.setAttribute("aria-expanded", String(open));
  });
})();
