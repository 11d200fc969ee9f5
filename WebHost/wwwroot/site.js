// The language list changes the language as soon as another is chosen. A script file, not an inline handler:
// pages that show mail allow no inline script at all.
(() => {
  const culture = document.getElementById("culture-switch");
  if (culture) culture.addEventListener("change", () => culture.form.submit());
})();
