// Choosing a language submits the switcher's form at once. This lives in a file rather than in an onchange
// attribute because a page under a Content-Security-Policy (the message page) runs no inline script; there the
// attribute was refused and the switcher did nothing.
(() => {
  const choice = document.getElementById("culture-switch");
  choice?.addEventListener("change", () => choice.form.submit());
})();
