// "Sending… Undo" after Send: the button stays while the message waits out the undo time, then the bar says the
// message is on its way. Without script the button stays, and a late Undo is told it came too late.
(() => {
  const bar = document.querySelector("form[data-undo-send]");
  if (!bar) return;
  const button = bar.querySelector("[data-undo-button]");
  const words = bar.querySelector("[data-undo-text]");
  const seconds = Number(bar.dataset.seconds) || 0;
  window.setTimeout(() => {
    button.hidden = true;
    words.textContent = bar.dataset.sentText;
    bar.dataset.undoOver = "true";
  }, seconds * 1000);
})();
