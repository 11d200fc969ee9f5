using System.Globalization;
using System.Net;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.Integration.Discovery;

/// <summary>
/// Find settings on the account form, posted without script (the form comes back filled in), against a private DNS
/// server, a private HTTPS server for autoconfig documents and the private Dovecot and Postfix.
/// </summary>
[Collection(DiscoveryCollection.Name)]
public sealed class when_finding_settings_from_the_address(DiscoveryFixture product)
{
    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private async Task<(TestUser User, Page Page)> FindAsync(string address, Dictionary<string, string>? form = null)
    {
        var user = await product.NewUserAsync();
        var fields = form ?? new Dictionary<string, string> { ["Input.Title"] = "Found", ["Input.Name"] = "Anna" };
        fields["Input.Address"] = address;
        return (user, await user.Session.SubmitAsync(AccountForms.AddPage, fields, "Discover"));
    }

    private static string Outcome(Page page, string step) => page.Dom.One($"[data-step=\"{step}\"]").GetAttribute("data-outcome")!;

    /// <summary>
    /// The form as the page filled it in, posted again with the password, as the user does after Find settings. A ticked
    /// box comes before its hidden "false", and the first value is the one that binds.
    /// </summary>
    private static Dictionary<string, string> Filled(Page page, Mailbox mailbox)
    {
        var form = Form.Of(page.Html, "form[data-account-form]");
        var fields = form.Fields.Where(f => f.Key != "__RequestVerificationToken").GroupBy(f => f.Key).ToDictionary(g => g.Key, g => g.First().Value);
        fields["Input.Password"] = mailbox.Password;
        fields["Input.NewServerPassword"] = mailbox.Password;
        return fields;
    }

    [Fact]
    public async Task a_domain_with_an_autoconfig_document_gets_its_servers_with_the_login_it_names_and_they_pass_the_test()
    {
        var mailbox = await product.NewMailboxAsync();
        var local = mailbox.Address.Split('@')[0];
        var address = $"{local}@{DiscoveryFixture.AutoconfigDomain}";
        var endpoints = product.MailServer.Endpoints;

        var (user, page) = await FindAsync(address);
        using var _ = user;

        page.Status.ShouldBe(HttpStatusCode.OK);
        var report = page.Dom.One("[data-discovery]");
        report.GetAttribute("data-discovery").ShouldBe("found");
        report.GetAttribute("data-source").ShouldBe("Autoconfig");
        page.Dom.Text("[data-discovery-headline]").ShouldContain("Example Mail of auto.test");
        Outcome(page, "Preset").ShouldBe("NothingFound");
        Outcome(page, "Autoconfig").ShouldBe("Found");
        page.Dom.Field("Input.Protocol").ShouldBe("Imap");
        page.Dom.Field("Input.Host").ShouldBe(DiscoveryFixture.MailHost);
        page.Dom.Field("Input.Port").ShouldBe(Port(endpoints.Imaps));
        page.Dom.Field("Input.UseSsl").ShouldBe("true");
        // %EMAILLOCALPART%@specs.test in the document: the placeholder filled in with the typed address's local part.
        page.Dom.Field("Input.Login").ShouldBe(mailbox.Address);
        // The document lists STARTTLS first for SMTP: implicit TLS is chosen all the same.
        page.Dom.One("#Input_OutgoingServer option[selected]").GetAttribute("value").ShouldBe("new");
        page.Dom.Field("Input.NewServerHost").ShouldBe(DiscoveryFixture.MailHost);
        page.Dom.Field("Input.NewServerPort").ShouldBe(Port(endpoints.Submissions));
        page.Dom.One("#Input_NewServerSecurity option[selected]").GetAttribute("value").ShouldBe("SslOnConnect");
        page.Dom.Field("Input.NewServerLogin").ShouldBe(mailbox.Address);
        product.AutoconfigRequests.ShouldContain(
            $"autoconfig.{DiscoveryFixture.AutoconfigDomain}/mail/config-v1.1.xml?emailaddress={Uri.EscapeDataString(address)}");

        var tested = await user.Session.SubmitAsync(AccountForms.AddPage, Filled(page, mailbox), "Test");
        ConnectionReport.In(tested.Html).Passed.ShouldBeTrue();
    }

    [Fact]
    public async Task a_domain_that_publishes_its_document_at_the_well_known_address_is_found_there()
    {
        var (user, page) = await FindAsync("boris@" + DiscoveryFixture.WellKnownDomain);
        using var _ = user;

        page.Dom.One("[data-discovery]").GetAttribute("data-source").ShouldBe("Autoconfig");
        Outcome(page, "Autoconfig").ShouldBe("NothingFound");
        Outcome(page, "WellKnown").ShouldBe("Found");
        page.Dom.Field("Input.Host").ShouldBe(DiscoveryFixture.MailHost);
        page.Dom.Field("Input.Login").ShouldBe("boris@" + ProductFixture.MailDomain);
    }

    [Fact]
    public async Task a_domain_with_srv_records_gets_implicit_tls_and_what_is_not_offered_is_not_filled_in()
    {
        var endpoints = product.MailServer.Endpoints;

        var (user, page) = await FindAsync("anna@" + DiscoveryFixture.SrvDomain);
        using var _ = user;

        page.Dom.One("[data-discovery]").GetAttribute("data-source").ShouldBe("Srv");
        Outcome(page, "Autoconfig").ShouldBe("NothingFound");
        Outcome(page, "WellKnown").ShouldBe("NothingFound");
        Outcome(page, "Srv").ShouldBe("Found");
        page.Dom.Field("Input.Protocol").ShouldBe("Imap");
        page.Dom.Field("Input.Host").ShouldBe(DiscoveryFixture.MailHost);
        page.Dom.Field("Input.Port").ShouldBe(Port(endpoints.Imaps));
        page.Dom.Field("Input.Login").ShouldBe("anna@" + DiscoveryFixture.SrvDomain);
        page.Dom.Field("Input.NewServerPort").ShouldBe(Port(endpoints.Submissions));
        page.Dom.One("#Input_NewServerSecurity option[selected]").GetAttribute("value").ShouldBe("SslOnConnect");
    }

    [Fact]
    public async Task a_domain_whose_mx_is_under_google_gets_the_gmail_preset_with_its_note()
    {
        var (user, page) = await FindAsync("anna@" + DiscoveryFixture.HostedDomain);
        using var _ = user;

        page.Dom.One("[data-discovery]").GetAttribute("data-source").ShouldBe("MxPreset");
        Outcome(page, "Srv").ShouldBe("NothingFound");
        Outcome(page, "Mx").ShouldBe("Found");
        page.Dom.Text("[data-step=\"Mx\"]").ShouldContain("aspmx.l.google.com");
        page.Dom.Text("[data-discovery-headline]").ShouldContain("Gmail");
        page.Dom.Field("Input.Host").ShouldBe("imap.gmail.com");
        page.Dom.Field("Input.Port").ShouldBe("993");
        page.Dom.Field("Input.Login").ShouldBe("anna@" + DiscoveryFixture.HostedDomain);
        page.Dom.Field("Input.NewServerKind").ShouldBe("Gmail");
        page.Dom.Text("[data-discovery-note=\"provider\"]").ShouldContain("app password");
    }

    [Fact]
    public async Task a_domain_with_nothing_but_a_mail_host_is_guessed_by_a_real_connection_and_passes_the_test()
    {
        var mailbox = await product.NewMailboxAsync();
        var endpoints = product.MailServer.Endpoints;

        var (user, page) = await FindAsync(mailbox.Address);
        using var _ = user;

        page.Dom.One("[data-discovery]").GetAttribute("data-source").ShouldBe("Guess");
        Outcome(page, "Mx").ShouldBe("NothingFound");
        Outcome(page, "Guess").ShouldBe("Found");
        // imap.specs.test does not exist; mail.specs.test answers with TLS on the IMAPS port first.
        page.Dom.Field("Input.Host").ShouldBe(DiscoveryFixture.MailHost);
        page.Dom.Field("Input.Port").ShouldBe(Port(endpoints.Imaps));
        page.Dom.Field("Input.UseSsl").ShouldBe("true");
        page.Dom.Field("Input.NewServerHost").ShouldBe(DiscoveryFixture.MailHost);
        page.Dom.Field("Input.NewServerPort").ShouldBe(Port(endpoints.Submissions));

        var tested = await user.Session.SubmitAsync(AccountForms.AddPage, Filled(page, mailbox), "Test");
        ConnectionReport.In(tested.Html).Passed.ShouldBeTrue();
    }

    [Fact]
    public async Task a_domain_where_nothing_is_found_gets_a_clear_message_and_the_form_as_it_was()
    {
        var (user, page) = await FindAsync("anna@" + DiscoveryFixture.NothingDomain);
        using var _ = user;

        page.Dom.One("[data-discovery]").GetAttribute("data-discovery").ShouldBe("none");
        page.Dom.Text("[data-discovery-headline]").ShouldBe(
            "No settings were found for nothing.test. Fill in the servers by hand: your provider's help pages name them.");
        foreach (var step in new[] { "Preset", "Autoconfig", "WellKnown", "Srv", "Mx", "Guess" })
        {
            Outcome(page, step).ShouldBe("NothingFound", step);
        }

        page.Dom.Field("Input.Host").ShouldBe("");
        page.Dom.Field("Input.NewServerHost").ShouldBe("");
        page.Dom.Field("Input.Address").ShouldBe("anna@" + DiscoveryFixture.NothingDomain);
    }

    [Fact]
    public async Task an_autoconfig_document_naming_private_addresses_is_refused_by_the_network_policy()
    {
        var (user, page) = await FindAsync("anna@" + DiscoveryFixture.PrivateDomain);
        using var _ = user;

        page.Dom.One("[data-discovery]").GetAttribute("data-discovery").ShouldBe("none");
        var refused = page.Dom.All("[data-step=\"Autoconfig\"][data-outcome=\"Refused\"]").Select(e => e.TextContent).ToArray();
        refused.ShouldContain(t => t.Contains("intranet.private.test:993") && t.Contains("10.20.30.40") && t.Contains("private or reserved network"));
        refused.ShouldContain(t => t.Contains("10.20.30.41:465"));
        page.Dom.Field("Input.Host").ShouldBe("");
        page.Dom.Field("Input.NewServerHost").ShouldBe("");
    }

    [Fact]
    public async Task an_autoconfig_host_at_a_private_address_is_never_fetched_from()
    {
        var (user, page) = await FindAsync("anna@" + DiscoveryFixture.RebindDomain);
        using var _ = user;

        var step = page.Dom.One("[data-step=\"Autoconfig\"]");
        step.GetAttribute("data-outcome").ShouldBe("Refused");
        step.TextContent.ShouldContain("10.1.2.3");
        product.AutoconfigRequests.ShouldNotContain(r => r.StartsWith("autoconfig." + DiscoveryFixture.RebindDomain, StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_well_known_provider_is_found_in_the_presets_without_asking_the_network()
    {
        var (user, page) = await FindAsync("anna@yandex.ru");
        using var _ = user;

        page.Dom.One("[data-discovery]").GetAttribute("data-source").ShouldBe("Preset");
        page.Dom.All("[data-step]").Select(s => s.GetAttribute("data-step")).ShouldBe(["Preset"]);
        page.Dom.Field("Input.Host").ShouldBe("imap.yandex.ru");
        page.Dom.Field("Input.NewServerHost").ShouldBe("smtp.yandex.ru");
    }

    [Fact]
    public async Task a_provider_that_wants_oauth2_is_marked_so()
    {
        var (user, page) = await FindAsync("anna@outlook.com");
        using var _ = user;

        page.Dom.Text("[data-discovery-note=\"oauth2\"]").ShouldContain("OAuth2");
    }

    [Fact]
    public async Task without_an_address_it_says_to_type_one_first()
    {
        var (user, page) = await FindAsync("not-an-address");
        using var _ = user;

        page.Dom.Text("[data-discovery=\"no-address\"]").ShouldBe("Type the e-mail address first: the settings are looked up from its domain.");
        page.Dom.Field("Input.Host").ShouldBe("");
    }

    [Fact]
    public async Task the_password_typed_before_is_not_sent_back_and_the_form_asks_for_it_again()
    {
        var (user, page) = await FindAsync("anna@" + DiscoveryFixture.SrvDomain,
            new Dictionary<string, string> { ["Input.Title"] = "Found", ["Input.Password"] = "typed-secret-123" });
        using var _ = user;

        page.Html.ShouldNotContain("typed-secret-123");
        page.Dom.Has("[data-password-retype]").ShouldBeTrue();
    }

    [Fact]
    public async Task on_someone_elses_account_it_answers_not_found_and_looks_nothing_up()
    {
        using var owner = await product.NewUserAsync();
        var form = AccountForms.Valid("Owned " + Guid.NewGuid().ToString("N")[..6], "owner@example.com");
        (await owner.Session.SubmitAsync(AccountForms.AddPage, form)).Status.ShouldBe(HttpStatusCode.Redirect);
        var edit = AccountForms.EditPathIn((await owner.Session.GetAsync("/Email/Settings/Accounts")).Html);
        using var stranger = await product.NewUserAsync();

        var page = await stranger.Session.SubmitAsync(AccountForms.AddPage,
            new Dictionary<string, string> { ["Input.Address"] = "anna@" + DiscoveryFixture.SrvDomain }, postTo: edit + "?handler=Discover");

        page.Status.ShouldBe(HttpStatusCode.NotFound);
        page.Html.ShouldNotContain("data-discovery");
    }
}
