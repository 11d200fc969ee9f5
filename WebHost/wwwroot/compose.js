// The compose form's editors. The HTML body is edited with Squire (DOMPurify cleans whatever it is given); the form's
// textarea stays the editor without script and carries the HTML on submit. Ticking "Send as plain text" moves the
// body to the other editor at once (the server converts it). Whenever the body changes, the textarea holds it and the
// form hears "compose:changed" (the draft autosave listens).
(() => {
  const form = document.querySelector("form.compose");
  if (!form) {
    return;
  }

  // The message's id in the page's address: Back after Send (or a reload) asks for this message again, and the page
  // then says it went instead of offering a fresh form to send it a second time.
  const mailId = form.querySelector("input[name='Input.MailId']")?.value;
  if (mailId) {
    const address = new URL(window.location.href);
    address.searchParams.delete("handler");
    if (address.searchParams.get("mail") !== mailId && !address.searchParams.has("draft")) {
      address.searchParams.set("mail", mailId);
      history.replaceState(history.state, "", address);
    }
  }

  const changed = () => form.dispatchEvent(new CustomEvent("compose:changed", { bubbles: true }));
  const label = form.querySelector("#body-label");
  const plainBody = form.querySelector("textarea[data-plain]");
  if (plainBody) {
    // Typing starts at the top, above the signature's "-- " line.
    plainBody.setSelectionRange(0, 0);
    plainBody.addEventListener("input", changed);
  }

  const source = form.querySelector("textarea[data-html]");
  const node = form.querySelector(".editor");
  const toolbar = form.querySelector(".editor-toolbar");
  if (source && node && toolbar && window.Squire) {
    const editor = new window.Squire(node, { blockTag: "P" });
    const protectSignature = () => {
      for (const signature of node.querySelectorAll(".signature")) {
        signature.setAttribute("contenteditable", "false");
      }
    };
    editor.setHTML(source.value);
    protectSignature();
    node.hidden = false;
    toolbar.hidden = false;
    source.hidden = true;

    // What the user writes: the blocks before the signature and before any quotation or forwarded message.
    const stops = ".signature, blockquote, .forwarded, .attribution";
    const writingBlock = () => {
      let last = null;
      for (const child of node.children) {
        if (child.matches(stops)) {
          break;
        }
        last = child;
      }
      return last;
    };
    const caretAtEndOf = (block) => {
      const range = document.createRange();
      const end = block.lastChild?.nodeName === "BR" ? block.childNodes.length - 1 : block.childNodes.length;
      range.setStart(block, Math.max(0, end));
      range.collapse(true);
      editor.setSelection(range);
    };
    // The caret waits at the top: clicking the label, tabbing in or a reply's focus start writing above the signature.
    const first = node.firstElementChild;
    if (first && !first.matches(stops)) {
      const range = document.createRange();
      range.setStart(first, 0);
      range.collapse(true);
      editor.setSelection(range);
    }

    // The signature is not edited by a stray click: a click on it, or on the empty space below the text, puts the
    // caret at the end of what the user wrote, above the "-- " line. The signature itself is changed in the settings
    // (or removed whole with Backspace or Delete).
    node.addEventListener("mousedown", (event) => {
      const block = writingBlock();
      if (!block || !node.querySelector(".signature")) {
        return;
      }
      const inSignature = event.target instanceof Element && event.target.closest(".signature");
      const below = event.target === node && event.clientY > block.getBoundingClientRect().bottom;
      if (inSignature || below) {
        event.preventDefault();
        editor.focus();
        caretAtEndOf(block);
      }
    });

    label?.addEventListener("click", (event) => {
      event.preventDefault();
      editor.focus();
    });

    const sync = () => { source.value = editor.getHTML(); };
    editor.addEventListener("input", () => { sync(); changed(); });
    form.addEventListener("submit", sync);

    const refused = toolbar.querySelector("[data-link-refused]");
    const allowedLink = (text) => {
      try {
        const url = new URL(text.trim());
        return ["http:", "https:", "mailto:"].includes(url.protocol) ? url.href : null;
      } catch {
        return null;
      }
    };
    const toggles = {
      bold: () => editor.hasFormat("B") ? editor.removeBold() : editor.bold(),
      italic: () => editor.hasFormat("I") ? editor.removeItalic() : editor.italic(),
      bullets: () => editor.hasFormat("UL") ? editor.removeList() : editor.makeUnorderedList(),
      numbers: () => editor.hasFormat("OL") ? editor.removeList() : editor.makeOrderedList(),
      quote: () => editor.hasFormat("BLOCKQUOTE") ? editor.decreaseQuoteLevel() : editor.increaseQuoteLevel(),
      clear: () => editor.removeAllFormatting(),
      link: (button) => {
        const answer = window.prompt(button.dataset.ask, "https://");
        if (answer === null) {
          return;
        }
        const href = allowedLink(answer);
        refused.hidden = href !== null;
        if (href) {
          editor.makeLink(href);
        }
      },
    };
    const formats = { bold: "B", italic: "I", bullets: "UL", numbers: "OL", quote: "BLOCKQUOTE" };
    const showState = () => {
      for (const [name, tag] of Object.entries(formats)) {
        toolbar.querySelector(`[data-format='${name}']`)?.setAttribute("aria-pressed", String(editor.hasFormat(tag)));
      }
    };
    // The buttons keep the editor's focus and selection: pressing one formats what is selected.
    toolbar.addEventListener("mousedown", (event) => {
      if (event.target instanceof Element && event.target.closest("button")) {
        event.preventDefault();
      }
    });
    toolbar.addEventListener("click", (event) => {
      const button = event.target instanceof Element ? event.target.closest("button[data-format]") : null;
      if (!button) {
        return;
      }
      toggles[button.dataset.format]?.(button);
      protectSignature();
      editor.focus();
      showState();
      sync();
      changed();
    });
    editor.addEventListener("pathChange", showState);
    editor.addEventListener("select", showState);

    // A reply or forward has its addressees: writing starts in the body.
    if (form.querySelector("input[name='Input.Context']")?.value && form.querySelector("#Input_To")?.value) {
      editor.focus();
    }
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
