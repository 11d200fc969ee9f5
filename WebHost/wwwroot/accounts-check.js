// Settings » Accounts: Check mail, for every account or for one row's account, without leaving the page. The form
// is posted as it would be without script; then the page's Live handler is asked every second for the notice and the
// rows, rendered as the page renders them, and each row whose check is done replaces the old one in place. It stops
// when the check is done or after two minutes (a reload still shows how the check went, as without script).
(() => {
    const form = document.getElementById("check-mail");
    const live = document.getElementById("accounts-live");
    if (!form || !live || !window.fetch || !window.DOMParser) {
        return;
    }

    const every = 1000;
    const deadline = 2 * 60 * 1000;
    const allButton = form.querySelector("[data-check-all]");

    const liveUrl = (since, account) => {
        const url = new URL(location.pathname, location.origin);
        url.searchParams.set("handler", "Live");
        url.searchParams.set("checkedSince", since);
        if (account) {
            url.searchParams.set("account", account);
        }
        return url;
    };

    const rowOf = (root, account) => root.querySelector(`#accounts tr[data-account="${CSS.escape(account)}"]`);

    // Only a row that changed is replaced, so a row being read or a button being focused elsewhere stays as it is.
    const replaceRow = fresh => {
        const old = rowOf(live, fresh.dataset.account);
        if (old && old.outerHTML !== fresh.outerHTML) {
            old.replaceWith(document.importNode(fresh, true));
        }
    };

    const replaceNotice = fresh => {
        const old = live.querySelector(":scope > .notice");
        if (!fresh) {
            return;
        }
        if (!old) {
            live.prepend(document.importNode(fresh, true));
        } else if (old.outerHTML !== fresh.outerHTML) {
            old.replaceWith(document.importNode(fresh, true));
        }
    };

    const pause = ms => new Promise(resolve => setTimeout(resolve, ms));

    // Follows one check: of every account (account null: the notice and every row) or of one account (its row only).
    const follow = async (since, account) => {
        const until = Date.now() + deadline;
        while (Date.now() < until) {
            const response = await fetch(liveUrl(since, account), { credentials: "same-origin" });
            if (!response.ok) {
                return;
            }
            const answer = new DOMParser().parseFromString(await response.text(), "text/html").getElementById("accounts-live");
            if (!answer) {
                return;
            }
            if (account) {
                const row = rowOf(answer, account);
                if (!row) {
                    return;
                }
                replaceRow(row);
                if (!row.hasAttribute("data-checking")) {
                    return;
                }
            } else {
                answer.querySelectorAll("#accounts tr[data-account]").forEach(replaceRow);
                replaceNotice(answer.querySelector(":scope > .notice"));
                if (!answer.querySelector("[data-check='pending']")) {
                    return;
                }
            }
            await pause(every);
        }
    };

    form.addEventListener("submit", async event => {
        const button = event.submitter;
        event.preventDefault();
        const account = button && button.name === "account" ? button.value : null;
        const body = new FormData(form, button);
        if (button) {
            button.disabled = true;
        }
        try {
            const response = await fetch(form.action, { method: "POST", body, credentials: "same-origin" });
            const since = new URL(response.url).searchParams.get("checkedSince");
            if (!since) {
                // Refused (too many checks a minute): the page it was sent back to says why.
                const said = new DOMParser().parseFromString(await response.text(), "text/html").querySelector("main .notice");
                replaceNotice(said);
                return;
            }
            if (!account) {
                // The address names the check, as without script: a reload shows how it went.
                history.replaceState(history.state, "", response.url);
            }
            await follow(since, account);
        } finally {
            // The row's own button comes back with its row; the button pressed is usable again once its check is over.
            if (button && button.isConnected) {
                button.disabled = false;
            }
        }
    });

    // A page opened on a check still running (reloaded, or sent here without script) follows it too.
    if (live.dataset.checkedSince && live.querySelector("[data-check='pending']")) {
        const account = live.dataset.checkedAccount || null;
        follow(live.dataset.checkedSince, account).finally(() => {
            if (!account && allButton) {
                allButton.disabled = false;
            }
        });
    }
})();
