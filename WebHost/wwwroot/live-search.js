// A live search over several folders, shown as it comes. The page answered at once with the box, the status and an
// empty table (IndexModel.Streamed); the same search's stream (server-sent events, one each time a folder answers)
// brings the first page's rows so far, rendered by the list's own row template, the status and the folders not
// searched; its last event brings the list as the page renders it once every folder answered (the total, the pager).
// Without this script the page renders once every folder answered, as it did before.
(() => {
  const results = document.querySelector("[data-search-results][data-stream]");
  if (!results || !results.dataset.stream) return;
  const client = document.querySelector(".mail-client");
  const region = results.closest("section.mail-list");
  const status = region.querySelector("[data-search-found]");
  const notSearched = region.querySelector("[data-not-searched]");
  const loaded = () => region.dispatchEvent(new CustomEvent("mail-list:loaded", { bubbles: true }));
  const parse = (response) => response.text().then((html) => new DOMParser().parseFromString(html, "text/html"));

  const note = (lines) => {
    if (!notSearched || !lines || lines.length === 0) return;
    const list = notSearched.querySelector("ul");
    lines.forEach((line) => {
      const item = document.createElement("li");
      item.textContent = line;
      list.append(item);
    });
    notSearched.hidden = false;
  };

  // The shell came without the folder pane (the server may be slow): the folder's own view brings it, as for a list.
  if (results.dataset.foldersSrc) {
    fetch(results.dataset.foldersSrc, { credentials: "same-origin" }).then(parse).then((fetched) => {
      const folders = fetched.querySelector("ul.mail-folders"), here = client?.querySelector("ul.mail-folders");
      if (folders && here) here.replaceWith(document.adoptNode(folders));
      const quota = fetched.querySelector("#mail-quota"), quotaHere = client?.querySelector("#mail-quota");
      if (quota && quotaHere) quotaHere.replaceWith(document.adoptNode(quota));
    }).catch(() => { /* a navigation away aborts it; the folders stay out of sight until the next page */ });
  }

  let finished = false;
  // The stream broke off before its end (a server error, the reads a minute used up): the page rendered at once, as
  // without the script, says what the page says then.
  const fallBack = () => {
    const address = new URL(window.location.href);
    address.searchParams.set("inline", "true");
    fetch(address, { credentials: "same-origin" }).then(parse).then((fetched) => {
      const list = fetched.querySelector("section.mail-list");
      if (list) region.replaceChildren(...[...list.childNodes].map((n) => document.adoptNode(n)));
      loaded();
    }).catch(() => { /* a navigation away */ });
  };

  const source = new EventSource(results.dataset.stream);
  source.addEventListener("progress", (event) => {
    const data = JSON.parse(event.data);
    status.textContent = data.status;
    const body = results.querySelector("#messages tbody");
    if (data.rows !== null && body) body.innerHTML = data.rows;
    note(data.problems);
  });
  source.addEventListener("done", (event) => {
    finished = true;
    source.close();
    const data = JSON.parse(event.data);
    results.innerHTML = data.list;
    status.textContent = data.status;
    status.removeAttribute("data-searching");
    note(data.problems);
    loaded();
  });
  // An event source reconnects by itself, which would search again: once is enough.
  source.addEventListener("error", () => {
    if (finished) return;
    finished = true;
    source.close();
    fallBack();
  });
  window.addEventListener("pagehide", () => source.close());
  // Back to a page the browser kept while its search was still going (its stream closed on leaving): search again.
  window.addEventListener("pageshow", (event) => { if (event.persisted && !finished) window.location.reload(); });
})();
