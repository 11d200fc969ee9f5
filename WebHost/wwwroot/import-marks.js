// The imported mark of the live list, kept up to date after Import: the notice of an Import names the UIDs it asked for
// (data-importing="12,14"); while some of them on the page have no mark yet, this asks the list's JSON handler
// (table[data-import-marks] + &uids=...) every 2 s which of them the system holds now, and puts the mark (the list's
// <template data-imported-mark>) into their rows. It stops when all show, after 2 minutes, or when the page goes.
// Without this script the marks show at the next view of the list.
(() => {
    const every = 2000;
    const longest = 2 * 60 * 1000;
    if (!window.fetch) {
        return;
    }

    let timer = null;
    let busy = false;
    let until = 0;

    const rowOf = (table, uid) => [...table.querySelectorAll("tr[data-message]")].find((row) => row.dataset.uid === uid);

    const waiting = (table, asked) => asked.filter((uid) => {
        const row = rowOf(table, uid);
        return row && !row.querySelector("[data-imported]");
    });

    const mark = (table, uid) => {
        const row = rowOf(table, uid);
        const template = table.parentElement?.querySelector("template[data-imported-mark]")
            || document.querySelector("template[data-imported-mark]");
        if (!row || !template || row.querySelector("[data-imported]")) {
            return;
        }
        const subject = row.querySelector("td.subject");
        const preview = subject?.querySelector(".preview");
        const node = template.content.cloneNode(true);
        if (preview) {
            subject.insertBefore(document.createTextNode(" "), preview);
            subject.insertBefore(node, preview);
        } else {
            subject?.append(" ", node);
        }
    };

    const ask = async () => {
        timer = null;
        busy = true;
        const notice = document.querySelector("[data-list-notice][data-importing]");
        const table = document.querySelector("table[data-import-marks]");
        if (!notice || !table || Date.now() > until) {
            busy = false;
            return;
        }
        const asked = notice.dataset.importing.split(",").filter(Boolean);
        const left = waiting(table, asked);
        if (left.length === 0) {
            busy = false;
            return;
        }
        try {
            const response = await fetch(table.dataset.importMarks + "&uids=" + encodeURIComponent(left.join(",")),
                { credentials: "same-origin", headers: { Accept: "application/json" } });
            if (response.ok) {
                const answer = await response.json();
                (answer.imported || []).forEach((uid) => mark(table, uid));
            }
        } catch {
            // A navigation away or a moment offline: the next turn asks again.
        }
        busy = false;
        if (waiting(table, asked).length > 0 && Date.now() <= until) {
            timer = setTimeout(ask, every);
        }
    };

    const start = () => {
        const notice = document.querySelector("[data-list-notice][data-importing]");
        if (!notice || !notice.dataset.importing) {
            return;
        }
        if (until === 0) {
            until = Date.now() + longest;
        }
        if (timer === null && !busy) {
            ask();
        }
    };

    start();
    // The list may come after the page (mail-client.js) or be swapped by new mail (new-mail.js).
    document.addEventListener("mail-list:loaded", start);
    document.addEventListener("mail:list-refreshed", start);
})();
