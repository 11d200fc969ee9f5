// The HTML editor: what the user writes there goes back in the form's textarea, which serves without script.
// Ticking "Send as plain text" moves the body to the other editor at once.
(() => {
  const form = document.querySelector("form.compose");
  if (!form) return;
  const editor = form.querySelector(".editor");
  const source = form.querySelector("textarea[data-html]");
  if (editor && source) {
    editor.hidden = false;
    source.hidden = true;
    form.addEventListener("submit", () => { source.value = editor.innerHTML; });
  }
  const plain = form.querySelector("#Input_PlainText");
  const convert = form.querySelector("button.switch");
  if (plain && convert) {
    convert.hidden = true;
    plain.addEventListener("change", () => convert.click());
  }
})();
