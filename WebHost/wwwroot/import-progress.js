// Import progress, live, on any page. Put this element where an account's import state is shown:
//
//   <span data-import-progress="ACCOUNT-ID" data-import-state="off|running|never|failed|idle">
//     <span data-import-text>Running: 12 of 40</span>                       (the line; the element itself if absent)
//     <progress max="40" value="12"></progress>                             (optional; hidden unless running)
//     <a data-import-waiting href="/Email/Imported/Failed" hidden></a>      (optional; "3 waiting", hidden when none)
//   </span>
//
// The words come from the server (GET /Email/Imported/Progress, in the reader's language), so this script holds none.
// While any account on the page imports it asks every 2 s and updates each element; when none runs it stops. A press of
// Check mail (the accounts page's #check-mail form and its rows' Check, the client's form[data-hook=check-mail]) starts
// it again, and it keeps asking for 30 s even if nothing runs yet, since the import starts after the check is queued.
(() => {
    const selector = "[data-import-progress]";
    const every = 2000;
    const afterCheck = 30 * 1000;
    const url = "/Email/Imported/Progress";
    let timer = null;
    let keepUntil = 0;

    if (!window.fetch) {
        return;
    }

    const update = (element, state) => {
        element.dataset.importState = state.state;
        const line = element.querySelector("[data-import-text]") || element;
        if (line.textContent !== state.text) {
            line.textContent = state.text;
        }
        const bar = element.querySelector("progress");
        if (bar) {
            bar.hidden = !state.running;
            bar.setAttribute("aria-label", state.text);
            if (state.total > 0) {
                bar.max = state.total;
                bar.value = state.done;
            } else {
                bar.removeAttribute("value");
            }
        }
        const waiting = element.querySelector("[data-import-waiting]");
        if (waiting) {
            waiting.hidden = state.waiting === 0;
            waiting.textContent = state.waitingText;
        }
        const cell = element.closest("[data-import-state]:not([data-import-progress])");
        if (cell) {
            cell.dataset.importState = state.state;
        }
    };

    const ask = async () => {
        timer = null;
        if (!document.querySelector(selector)) {
            return;
        }
        let answer;
        try {
            const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
            // Signed out (the sign-in page answers) or refused: stop. A server error may pass: ask again later.
            if (response.redirected || [401, 403, 404].includes(response.status)) {
                return;
            }
            if (!response.ok) {
                again();
                return;
            }
            answer = await response.json();
        } catch {
            again();
            return;
        }
        const states = new Map(answer.accounts.map((a) => [a.account, a]));
        document.querySelectorAll(selector).forEach((element) => {
            const state = states.get(element.dataset.importProgress);
            if (state) {
                update(element, state);
            }
        });
        if (answer.running || Date.now() < keepUntil) {
            schedule();
        }
    };

    const schedule = () => {
        if (timer === null) {
            timer = setTimeout(ask, every);
        }
    };

    // After a failed request: ask again only while the page still shows an import running, or a check was just pressed.
    const again = () => {
        if (document.querySelector(`${selector}[data-import-state='running']`) || Date.now() < keepUntil) {
            schedule();
        }
    };

    const checkPressed = () => {
        keepUntil = Date.now() + afterCheck;
        schedule();
    };

    document.addEventListener("submit", (event) => {
        const form = event.target;
        if (form instanceof HTMLFormElement && (form.id === "check-mail" || form.matches("[data-hook='check-mail']"))) {
            checkPressed();
        }
    }, true);

    if (document.querySelector(`${selector}[data-import-state='running']`)) {
        schedule();
    }
})();
