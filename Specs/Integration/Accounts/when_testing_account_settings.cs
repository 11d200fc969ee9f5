using System.Globalization;
using System.Net;
using MailAccounts.Specs.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Integration.Accounts;

/// <summary>Test settings on the account form, against the private Dovecot, before the account is saved.</summary>
[Collection(ProductCollection.Name)]
public sealed class when_testing_account_settings(ProductFixture product)
{
    private async Task<(TestUser User, Page Page)> TestAsync(Dictionary<string, string> form, string handler = "Test")
    {
        var user = await product.NewUserAsync();
        return (user, await user.Session.SubmitAsync(AccountForms.AddPage, form, handler));
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task a_correct_imap_account_connects_and_lists_its_folders()
    {
        var mailbox = await product.NewMailboxAsync();

        var (user, page) = await TestAsync(AccountForms.For(product, mailbox));
        using var _ = user;

        page.Status.ShouldBe(HttpStatusCode.OK);
        page.Html.ShouldContain("Connection established successfully");
        page.Html.ShouldContain("Authentication</span>: signed in as " + mailbox.Address);
        page.Html.ShouldContain("MailAccounts local CA");

        var folders = await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, mailbox), "Folders");
        foreach (var folder in new[] { "INBOX", "Sent", "Trash", "Drafts", "Junk" })
        {
            folders.Html.ShouldContain($"name=\"Input.MonitoredFolders\" value=\"{folder}\"");
        }

        // Trash and Sent are suggested from the special-use flags.
        folders.Html.ShouldContain("<option value=\"Trash\" selected>");
        folders.Html.ShouldContain("<option value=\"Sent\" selected>");
    }

    [Fact]
    public async Task a_correct_pop3_account_connects_and_counts_its_inbox()
    {
        var mailbox = await product.NewMailboxAsync();

        var (user, page) = await TestAsync(AccountForms.For(product, mailbox, protocol: "Pop3"));
        using var _ = user;

        page.Html.ShouldContain("Connection established successfully");
        page.Html.ShouldContain("INBOX: 0 messages");
    }

    [Fact]
    public async Task a_russian_reader_reads_the_report_in_russian_and_the_history_keeps_it_in_english()
    {
        var mailbox = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        await user.Session.SubmitAsync("/Email/Settings/Accounts", new() { ["culture"] = "ru", ["returnUrl"] = "/Email/Settings/Accounts" }, postTo: "/Culture");

        var form = AccountForms.For(product, mailbox);
        form["Input.Password"] = "not the password";
        var report = await user.Session.SubmitAsync(AccountForms.AddPage, form, "Test");
        report.Html.ShouldContain("подключено к 127.0.0.1:");
        report.Html.ShouldContain($"сервер отклонил логин {mailbox.Address}: ");
        report.Html.ShouldNotContain("the server refused the login");

        // Saved, the test goes into the history in the words every reader of an audit trail gets: English.
        var done = Form.Of(report.Html, "form[data-account-form]", AccountForms.AddPage);
        done["Input.Password"] = mailbox.Password;
        await user.Session.PostAsync(done);
        var userId = await product.UserIdAsync(user.Login);
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var tested = await session.Events.QueryRawEventDataOnly<MailAccounts.Domain.Accounts.ConnectionTested>()
            .Where(e => e.By == userId).ToListAsync();
        tested.ShouldHaveSingleItem().Detail.ShouldStartWith($"Authentication: the server refused the login {mailbox.Address}: ");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task a_test_before_saving_joins_the_history_only_if_it_was_of_the_settings_saved(bool portChangedAfterTheTest)
    {
        var mailbox = await product.NewMailboxAsync();
        var (user, tested) = await TestAsync(AccountForms.For(product, mailbox));
        using var _ = user;
        tested.Html.ShouldContain("Connection established successfully");

        // Done from the page the test answered, which carries the test's sealed result.
        var done = Form.Of(tested.Html, "form[data-account-form]", AccountForms.AddPage);
        done["Input.Password"] = mailbox.Password;
        if (portChangedAfterTheTest)
        {
            done["Input.Port"] = Port(product.MailServer.Endpoints.Imap);
        }

        (await user.Session.PostAsync(done)).Status.ShouldBe(HttpStatusCode.Redirect);
        var history = (await user.Session.GetAsync(AccountForms.HistoryPathIn((await user.Session.GetAsync("/Email/Settings/Accounts")).Html))).Html;
        history.ShouldContain("Account created");
        history.Contains("Connection tested", StringComparison.Ordinal).ShouldBe(!portChangedAfterTheTest);
    }

    [Fact]
    public async Task a_wrong_password_fails_at_authentication_with_the_servers_words()
    {
        var mailbox = await product.NewMailboxAsync();

        var (user, page) = await TestAsync(AccountForms.For(product, mailbox).With("Input.Password", "wrong-password"));
        using var _ = user;

        page.Html.ShouldContain("The test failed");
        page.Html.ShouldContain("class=\"failed\"><span class=\"stage\">Authentication</span>");
        page.Html.ShouldContain("Authentication failed");
        page.Html.ShouldNotContain("wrong-password");
    }

    [Fact]
    public async Task a_wrong_port_fails_at_the_connection()
    {
        var mailbox = await product.NewMailboxAsync();
        var closed = Port(product.ClosedPort);

        var (user, page) = await TestAsync(AccountForms.For(product, mailbox).With("Input.Port", closed));
        using var _ = user;

        page.Html.ShouldContain("class=\"failed\"><span class=\"stage\">Connection</span>");
        page.Html.ShouldContain("Connection refused");
    }

    [Fact]
    public async Task an_untrusted_certificate_fails_at_tls_and_passes_once_its_fingerprint_is_trusted()
    {
        var mailbox = await product.NewMailboxAsync();
        var form = AccountForms.For(product, mailbox, host: product.Misbehaving.UntrustedHost);

        var (user, page) = await TestAsync(form);
        using var _ = user;
        page.Html.ShouldContain("class=\"failed\"><span class=\"stage\">Encryption (TLS)</span>");
        var fingerprint = System.Text.RegularExpressions.Regex.Match(page.Html, "<code class=\"fingerprint\">([0-9A-F]{64})</code>").Groups[1].Value;
        fingerprint.ShouldNotBeEmpty();
        page.Html.ShouldContain("Trust this certificate");

        var trusted = form.With("Input.TrustedCertificates", $"{product.Misbehaving.UntrustedHost} {fingerprint}");
        var retested = await user.Session.SubmitAsync(AccountForms.AddPage, trusted, "Test");
        retested.Html.ShouldContain("Connection established successfully");
        retested.Html.ShouldContain("trusted by its fingerprint");

        // Done records the choice in the account's history.
        (await user.Session.SubmitAsync(AccountForms.AddPage, trusted)).Status.ShouldBe(HttpStatusCode.Redirect);
        var history = await user.Session.GetAsync(AccountForms.HistoryPathIn((await user.Session.GetAsync("/Email/Settings/Accounts")).Html));
        history.Html.ShouldContain("Certificate trusted");
        history.Html.ShouldContain(fingerprint);
    }

    [Fact]
    public async Task a_server_without_starttls_fails_at_tls_with_that_reason()
    {
        var mailbox = await product.NewMailboxAsync();
        var form = AccountForms.For(product, mailbox, host: product.Misbehaving.NoTlsHost)
            .With("Input.UseSsl", "false")
            .With("Input.Port", Port(product.MailServer.Endpoints.Imap));

        var (user, page) = await TestAsync(form);
        using var _ = user;

        page.Html.ShouldContain("class=\"failed\"><span class=\"stage\">Encryption (TLS)</span>");
        page.Html.ShouldContain("does not offer STARTTLS");
        page.Html.ShouldNotContain("signed in as");
    }

    [Fact]
    public async Task imap_with_starttls_on_the_plain_port_connects_encrypted()
    {
        var mailbox = await product.NewMailboxAsync();
        var form = AccountForms.For(product, mailbox).With("Input.UseSsl", "false").With("Input.Port", Port(product.MailServer.Endpoints.Imap));

        var (user, page) = await TestAsync(form);
        using var _ = user;

        page.Html.ShouldContain("Connection established successfully");
        page.Html.ShouldContain("encrypted; certificate");
    }

    [Fact]
    public async Task a_server_that_accepts_and_then_says_nothing_fails_within_the_timeout()
    {
        var mailbox = await product.NewMailboxAsync();
        var started = DateTime.UtcNow;

        var (user, page) = await TestAsync(AccountForms.For(product, mailbox).With("Input.Port", Port(product.Misbehaving.SilentPort)));
        using var _ = user;

        page.Html.ShouldContain("class=\"failed\"><span class=\"stage\">Connection</span>");
        page.Html.ShouldContain($"did not answer within {ProductFixture.TimeoutSeconds} seconds");
        (DateTime.UtcNow - started).ShouldBeLessThan(TimeSpan.FromSeconds(ProductFixture.TimeoutSeconds + 10));
    }

    [Fact]
    public async Task a_host_that_does_not_resolve_fails_at_name_resolution()
    {
        var mailbox = await product.NewMailboxAsync();

        var (user, page) = await TestAsync(AccountForms.For(product, mailbox, host: "no-such-host.invalid"));
        using var _ = user;

        page.Html.ShouldContain("class=\"failed\"><span class=\"stage\">Name resolution</span>");
    }

    [Fact]
    public async Task the_form_keeps_what_was_typed_but_never_sends_the_password_back()
    {
        var mailbox = await product.NewMailboxAsync();

        var (user, page) = await TestAsync(AccountForms.For(product, mailbox, title: "Kept title"));
        using var _ = user;

        page.Html.ShouldContain("value=\"Kept title\"");
        page.Html.ShouldNotContain(mailbox.Password);
    }
}
