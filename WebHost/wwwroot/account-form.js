// The account form works without script; with it, the tests answer in place so that nothing typed is lost,
// the port follows the protocol and SSL, and only the parts that apply are shown.
(() => {
  const form = document.querySelector("form[data-account-form]");
  if (!form) return;

  form.addEventListener("submit", async (event) => {
    const submitter = event.submitter;
    const target = submitter && submitter.dataset.target && document.getElementById(submitter.dataset.target);
    if (!target) return;
    event.preventDefault();
    const body = new FormData(form, submitter);
    // One test at a time: the button says it is testing and cannot be pressed again until the answer comes.
    const label = submitter.textContent;
    submitter.disabled = true;
    submitter.setAttribute("aria-busy", "true");
    submitter.textContent = form.dataset.testing || label;
    target.setAttribute("aria-busy", "true");
    target.textContent = form.dataset.working;
    try {
      const response = await fetch(submitter.formAction, { method: "POST", body, headers: { "X-Requested-With": "fetch" } });
      if (!response.ok || response.redirected) {
        // A stale form, a lost session or a server error: say so rather than pour a whole page into the form.
        target.textContent = form.dataset.failed;
        return;
      }
      target.innerHTML = await response.text();
      const version = target.querySelector("[data-version]");
      if (version) document.getElementById("Input_Version").value = version.dataset.version;
      countDown(target.querySelector("[data-retry-after]"));
    } catch {
      target.textContent = form.dataset.failed;
    } finally {
      target.removeAttribute("aria-busy");
      submitter.disabled = false;
      submitter.removeAttribute("aria-busy");
      submitter.textContent = label;
    }
  });

  // "Try again in 42 s": the server says how long; the page counts down, then says the test may run again.
  const countDown = (notice) => {
    if (!notice) return;
    let left = Number(notice.dataset.retryAfter);
    const tick = () => {
      left -= 1;
      if (left <= 0) { notice.remove(); return; }
      notice.dataset.retryAfter = String(left);
      notice.textContent = notice.dataset.retryText.replace("{0}", String(left));
      setTimeout(tick, 1000);
    };
    setTimeout(tick, 1000);
  };
  document.querySelectorAll("[data-retry-after]").forEach(countDown);

  // The login follows the address until the user types a login of their own.
  form.querySelectorAll("[data-follows]").forEach((copy) => {
    const source = document.getElementById(copy.dataset.follows);
    let following = !copy.value || copy.value === source.value;
    copy.addEventListener("input", () => { following = copy.value === "" || copy.value === source.value; });
    source.addEventListener("input", () => { if (following) copy.value = source.value.trim(); });
  });

  // The SMTP port follows the security chosen (587 STARTTLS, 465 SSL, 25 none) until the user types a port.
  const smtpSecurity = form.querySelector("[data-smtp-security]");
  const smtpPort = form.querySelector("[data-smtp-port]");
  if (smtpSecurity && smtpPort) {
    const smtpDefault = () => ({ SslOnConnect: "465", StartTls: "587", None: "25" })[smtpSecurity.value] || "587";
    let smtpSuggested = smtpDefault();
    if (!smtpPort.value) smtpPort.value = smtpSuggested;
    smtpSecurity.addEventListener("change", () => {
      if (!smtpPort.value || smtpPort.value === smtpSuggested) smtpPort.value = smtpDefault();
      smtpSuggested = smtpDefault();
    });
  }

  // Port: IMAP 993 with SSL, 143 without; POP3 995 and 110. A port the user typed is kept.
  const protocol = form.querySelector("[data-port-protocol]");
  const ssl = form.querySelector("[data-port-ssl]");
  const port = form.querySelector("[data-port]");
  const defaultPort = () => protocol.value === "Pop3" ? (ssl.checked ? 995 : 110) : (ssl.checked ? 993 : 143);
  let suggested = String(defaultPort());
  if (!port.value) port.value = suggested;
  const followDefaults = () => {
    if (!port.value || port.value === suggested) port.value = String(defaultPort());
    suggested = String(defaultPort());
    form.querySelectorAll("[data-imap-only]").forEach((part) => { part.hidden = protocol.value === "Pop3"; });
    form.querySelectorAll("[data-pop3-only]").forEach((part) => { part.hidden = protocol.value !== "Pop3"; });
  };
  protocol.addEventListener("change", followDefaults);
  ssl.addEventListener("change", followDefaults);

  // The address's domain suggests the settings of a well-known provider.
  const suggestion = document.getElementById("preset-suggestion");
  const presets = JSON.parse(suggestion.dataset.presets);
  const address = document.getElementById("Input_Address");
  // "Set Gmail parameters" only for a Gmail address (shown without script, where it cannot follow the address).
  const gmailOnly = form.querySelector("[data-gmail-only]");
  const gmail = () => {
    const domain = address.value.includes("@") && address.value.trim().toLowerCase().split("@").pop();
    if (gmailOnly) gmailOnly.hidden = !(domain === "gmail.com" || domain === "googlemail.com");
  };
  address.addEventListener("input", gmail);
  gmail();
  const suggest = () => {
    const domain = address.value.trim().toLowerCase().split("@").pop();
    const preset = address.value.includes("@") && presets.find((p) => p.Domains.includes(domain));
    suggestion.hidden = !preset;
    if (!preset) return;
    suggestion.querySelector("[data-preset-known]").textContent = suggestion.dataset.known.replace("{0}", preset.Name);
    const apply = suggestion.querySelector("[data-preset-apply]");
    apply.value = preset.Id;
    apply.textContent = suggestion.dataset.apply.replace("{0}", preset.Name);
    suggestion.querySelector("[data-preset-note]").textContent = preset.Note;
  };
  address.addEventListener("input", suggest);

  // The outgoing name follows the incoming name until the user changes it.
  form.querySelectorAll("[data-copies-to]").forEach((source) => {
    const copy = document.getElementById(source.dataset.copiesTo);
    let following = !copy.value || copy.value === source.value;
    copy.addEventListener("input", () => { following = copy.value === ""; });
    source.addEventListener("input", () => { if (following) copy.value = source.value; });
  });

  // Find settings answers in place: the fields it found are filled in and everything typed (the password) stays.
  // It runs by itself once, when an address is typed while the server fields are still empty.
  const discover = form.querySelector("[data-discover]");
  const discoveryReport = document.getElementById("discovery-report");
  const serverFieldsEmpty = () => !document.getElementById("Input_Host").value.trim()
    && !document.getElementById("Input_NewServerHost").value.trim();
  // What the person changes while a lookup runs is theirs: its answer fills only the fields left alone, and nothing
  // at all once the address it was asked for has been changed (the answer is for another address then).
  let editedDuringLookup = new Set();
  form.addEventListener("input", (event) => {
    if (event.target.id) editedDuringLookup.add(event.target.id);
    if (event.target.name) editedDuringLookup.add(event.target.name.replaceAll(".", "_"));
  });
  const fill = (fields) => {
    Object.entries(fields).forEach(([id, value]) => {
      if (editedDuringLookup.has(id)) return;
      const field = document.getElementById(id);
      if (field) {
        if (field.type === "checkbox") field.checked = value === "true"; else field.value = value;
        field.dispatchEvent(new Event("change", { bubbles: true }));
      }
      // The outgoing server's kind is a group of radio buttons, named rather than identified.
      if (id === "Input_NewServerKind") {
        form.querySelectorAll("[data-server-kind]").forEach((radio) => { radio.checked = radio.value === value; });
        form.querySelectorAll("[data-server-kind]").forEach((radio) => radio.dispatchEvent(new Event("change")));
      }
    });
  };
  let discovering = false;
  const runDiscovery = async () => {
    if (discovering) return;
    discovering = true;
    editedDuringLookup = new Set();
    const askedFor = address.value.trim();
    const label = discover.textContent;
    discover.disabled = true;
    discover.setAttribute("aria-busy", "true");
    discoveryReport.setAttribute("aria-busy", "true");
    discoveryReport.textContent = discover.dataset.searching;
    try {
      // The lookup needs the address, not the passwords: they stay in the page.
      const body = new FormData(form, discover);
      body.delete("Input.Password");
      body.delete("Input.NewServerPassword");
      const response = await fetch(discover.formAction, { method: "POST", body, headers: { "X-Requested-With": "fetch" } });
      if (!response.ok || response.redirected || !response.body) { discoveryReport.textContent = form.dataset.failed; return; }
      // One JSON line per step while the search runs, then the report and the fields found.
      const steps = document.createElement("ol");
      steps.className = "stages discovery-progress";
      discoveryReport.append(steps);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffered = "";
      let answer = null;
      for (;;) {
        const { value, done } = await reader.read();
        if (value) buffered += value;
        let end;
        while ((end = buffered.indexOf("\n")) >= 0) {
          const line = JSON.parse(buffered.slice(0, end));
          buffered = buffered.slice(end + 1);
          if (line.step !== undefined) {
            const item = document.createElement("li");
            item.dataset.step = line.kind;
            item.dataset.outcome = line.outcome;
            item.textContent = line.step;
            steps.append(item);
          } else {
            answer = line;
          }
        }
        if (done) break;
      }
      if (!answer) { discoveryReport.textContent = form.dataset.failed; return; }
      if (address.value.trim() !== askedFor) { discoveryReport.textContent = ""; return; }
      discoveryReport.innerHTML = answer.html;
      if (answer.fields) fill(answer.fields);
    } catch {
      discoveryReport.textContent = form.dataset.failed;
    } finally {
      discovering = false;
      discover.disabled = false;
      discover.removeAttribute("aria-busy");
      discoveryReport.removeAttribute("aria-busy");
      discover.textContent = label;
    }
  };
  discover.addEventListener("click", (event) => { event.preventDefault(); runDiscovery(); });
  let lastLookedUp = "";
  address.addEventListener("change", () => {
    const typed = address.value.trim();
    if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(typed) && typed !== lastLookedUp && serverFieldsEmpty()) {
      lastLookedUp = typed;
      runDiscovery();
    }
  });

  // The new outgoing server: shown when chosen; Gmail and Yahoo! need only the address and password.
  const servers = form.querySelector("[data-outgoing-server]");
  const newServer = form.querySelector("[data-new-server]");
  const showNewServer = () => { newServer.hidden = servers.value !== "new"; };
  const showKind = () => {
    const kind = form.querySelector("[data-server-kind]:checked");
    const preset = kind && (kind.value === "Gmail" || kind.value === "Yahoo");
    form.querySelectorAll("[data-custom-server]").forEach((part) => { part.hidden = preset; });
  };
  form.querySelector("[data-add-server]").addEventListener("click", () => {
    servers.value = "new";
    showNewServer();
    newServer.querySelector("input").focus();
  });
  servers.addEventListener("change", showNewServer);
  form.querySelectorAll("[data-server-kind]").forEach((radio) => radio.addEventListener("change", showKind));
  showNewServer();
  showKind();
})();
