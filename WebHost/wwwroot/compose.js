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
    // The contract with compose-safety.js (autosave, the leaving warning): the textarea holds the body whenever
    // compose:changed is dispatched on the form.
    editor.addEventListener("input", () => {
      source.value = editor.innerHTML;
      form.dispatchEvent(new CustomEvent("compose:changed"));
    });
  }
  const plain = form.querySelector("#Input_PlainText");
  const convert = form.querySelector("button.switch");
  if (plain && convert) {
    convert.hidden = true;
    plain.addEventListener("change", () => convert.click());
  }
  // Files heavier together than a message may be are not posted: the host would refuse the form without reading it,
  // and what the user wrote would be lost with it. The page says so at the field instead, and keeps everything.
  const files = form.querySelector("#files[data-max-bytes]");
  const tooLarge = form.querySelector("#files-too-large");
  if (files && tooLarge) {
    const limit = Number(files.dataset.maxBytes);
    const overLimit = () => [...files.files].reduce((sum, file) => sum + file.size, 0) > limit;
    files.addEventListener("change", () => { tooLarge.hidden = !overLimit(); });
    form.addEventListener("submit", (event) => {
      if (overLimit()) {
        event.preventDefault();
        tooLarge.hidden = false;
        files.focus();
      }
    });
  }
})();
