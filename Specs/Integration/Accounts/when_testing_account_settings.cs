using System.Globalization;
using System.Net;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Common;
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

    private async Task<IReadOnlyList<object>> EventsOfAsync(Guid accountId)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.Events.FetchStreamAsync(accountId)).Select(e => e.Data).ToArray();
    }

    [Fact]
    public async Task a_correct_imap_account_connects_and_lists_its_folders()
    {
        var mailbox = await product.NewMailboxAsync();

        var (user, page) = await TestAsync(AccountForms.For(product, mailbox));
        using var _ = user;

        page.Status.ShouldBe(HttpStatusCode.OK);
        var report = ConnectionReport.In(page.Html);
        report.Passed.ShouldBeTrue();
        report.Stage("Authentication").Detail.ShouldContain(mailbox.Address);
        report.Text.ShouldContain("MailAccounts local CA");

        var folders = await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, mailbox), "Folders");
        var offered = ConnectionReport.Values(folders.Html, "Input.MonitoredFolders");
        foreach (var folder in new[] { "INBOX", "Sent", "Trash", "Drafts", "Junk" })
        {
            offered.ShouldContain(folder);
        }

        // Trash and Sent are suggested from the special-use flags.
        var chosen = AccountForms.FormIn(folders.Html);
        chosen["Input.TrashFolder"].ShouldBe("Trash");
        chosen["Input.SentFolder"].ShouldBe("Sent");
    }

    [Fact]
    public async Task a_correct_pop3_account_connects_and_counts_its_inbox()
    {
        var mailbox = await product.NewMailboxAsync();

        var (user, page) = await TestAsync(AccountForms.For(product, mailbox, protocol: "Pop3"));
        using var _ = user;

        var report = ConnectionReport.In(page.Html);
        report.Passed.ShouldBeTrue();
        report.Stages.ShouldContain(s => s.Detail.Contains("INBOX: 0", StringComparison.Ordinal));
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
        var tested = await session.Events.QueryRawEventDataOnly<ConnectionTested>()
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
        ConnectionReport.In(tested.Html).Passed.ShouldBeTrue();

        // Done from the page the test answered, which carries the test's sealed result.
        var done = Form.Of(tested.Html, "form[data-account-form]", AccountForms.AddPage);
        done["Input.Password"] = mailbox.Password;
        if (portChangedAfterTheTest)
        {
            done["Input.Port"] = Port(product.MailServer.Endpoints.Imap);
        }

        (await user.Session.PostAsync(done)).Status.ShouldBe(HttpStatusCode.Redirect);
        var account = (await product.AccountsOfAsync(await product.UserIdAsync(user.Login))).ShouldHaveSingleItem();
        var events = await EventsOfAsync(account.Id);
        events.OfType<AccountCreated>().ShouldHaveSingleItem();
        events.OfType<ConnectionTested>().Any().ShouldBe(!portChangedAfterTheTest);
    }

    [Fact]
    public async Task a_wrong_password_fails_at_authentication_with_the_servers_words()
    {
        var mailbox = await product.NewMailboxAsync();

        var (user, page) = await TestAsync(AccountForms.For(product, mailbox).With("Input.Password", "wrong-password"));
        using var _ = user;

        var report = ConnectionReport.In(page.Html);
        report.Passed.ShouldBeFalse();
        report.Failed.Stage.ShouldBe("Authentication");
        report.Failed.Detail.ShouldContain("Authentication failed", Case.Insensitive, "the server's own words");
        page.Html.ShouldNotContain("wrong-password");
    }

    [Fact]
    public async Task a_wrong_port_fails_at_the_connection()
    {
        var mailbox = await product.NewMailboxAsync();
        var closed = Port(product.ClosedPort);

        var (user, page) = await TestAsync(AccountForms.For(product, mailbox).With("Input.Port", closed));
        using var _ = user;

        var report = ConnectionReport.In(page.Html);
        report.Failed.Stage.ShouldBe("Connection");
        report.Failed.Detail.ShouldContain("Connection refused", Case.Insensitive, "the network's own words");
    }

    [Fact]
    public async Task an_untrusted_certificate_fails_at_tls_and_passes_once_its_fingerprint_is_trusted()
    {
        var mailbox = await product.NewMailboxAsync();
        var form = AccountForms.For(product, mailbox, host: product.Misbehaving.UntrustedHost);

        var (user, page) = await TestAsync(form);
        using var _ = user;
        var report = ConnectionReport.In(page.Html);
        report.Failed.Stage.ShouldBe("Tls");
        var choice = report.TrustChoice.ShouldNotBeNull("the report offers to trust the certificate");
        var fingerprint = choice.Split(' ')[1];
        fingerprint.ShouldMatch("^[0-9A-F]{64}$");

        var trusted = form.With("Input.TrustedCertificates", choice);
        var retested = await user.Session.SubmitAsync(AccountForms.AddPage, trusted, "Test");
        var passed = ConnectionReport.In(retested.Html);
        passed.Passed.ShouldBeTrue();
        passed.TrustChoice.ShouldBeNull();

        // Done records the choice with the account.
        (await user.Session.SubmitAsync(AccountForms.AddPage, trusted)).Status.ShouldBe(HttpStatusCode.Redirect);
        var account = (await product.AccountsOfAsync(await product.UserIdAsync(user.Login))).ShouldHaveSingleItem();
        var recorded = (await EventsOfAsync(account.Id)).OfType<CertificateTrusted>().ShouldHaveSingleItem();
        recorded.Fingerprint.ShouldBe(fingerprint);
        recorded.Host.ShouldBe(product.Misbehaving.UntrustedHost);
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

        var report = ConnectionReport.In(page.Html);
        report.Failed.Stage.ShouldBe("Tls");
        report.Failed.Detail.ShouldContain("STARTTLS");
        report.Stages.ShouldNotContain(s => s.Stage == "Authentication", "no password goes over a clear line");
    }

    [Fact]
    public async Task imap_with_starttls_on_the_plain_port_connects_encrypted()
    {
        var mailbox = await product.NewMailboxAsync();
        var form = AccountForms.For(product, mailbox).With("Input.UseSsl", "false").With("Input.Port", Port(product.MailServer.Endpoints.Imap));

        var (user, page) = await TestAsync(form);
        using var _ = user;

        var report = ConnectionReport.In(page.Html);
        report.Passed.ShouldBeTrue();
        report.Stage("Tls").Passed.ShouldBeTrue();
    }

    [Fact]
    public async Task a_server_that_accepts_and_then_says_nothing_fails_within_the_timeout()
    {
        var mailbox = await product.NewMailboxAsync();
        var started = DateTime.UtcNow;

        var (user, page) = await TestAsync(AccountForms.For(product, mailbox).With("Input.Port", Port(product.Misbehaving.SilentPort)));
        using var _ = user;

        var report = ConnectionReport.In(page.Html);
        report.Failed.Stage.ShouldBe("Connection");
        report.Failed.Detail.ShouldContain($"{ProductFixture.TimeoutSeconds} seconds");
        (DateTime.UtcNow - started).ShouldBeLessThan(TimeSpan.FromSeconds(ProductFixture.TimeoutSeconds + 10));
    }

    [Fact]
    public async Task a_host_that_does_not_resolve_fails_at_name_resolution()
    {
        var mailbox = await product.NewMailboxAsync();

        var (user, page) = await TestAsync(AccountForms.For(product, mailbox, host: "no-such-host.invalid"));
        using var _ = user;

        ConnectionReport.In(page.Html).Failed.Stage.ShouldBe("NameResolution");
    }

    [Fact]
    public async Task a_test_of_a_saved_account_is_recorded_at_the_time_the_handler_ran_it_and_moves_the_form_to_the_new_version()
    {
        var mailbox = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        (await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, mailbox))).Status.ShouldBe(HttpStatusCode.Redirect);
        var owner = await product.UserIdAsync(user.Login);
        var account = (await product.AccountsOfAsync(owner)).ShouldHaveSingleItem();
        var form = new AccountForm(account.Title, account.Name, account.Address, account.Incoming!.Protocol, account.Incoming.Host,
            account.Incoming.Port, account.Incoming.Security, account.Incoming.Login);

        // The command carries no time: the page cannot set it. The stored password is revealed inside the handler.
        var before = DateTimeOffset.UtcNow;
        Outcome outcome;
        await using (var scope = product.Services.CreateAsyncScope())
        {
            outcome = await scope.ServiceProvider.GetRequiredService<Commands>()
                .InvokeAsync(new TestIncomingSettings(new Actor(owner, false), account.Id, form, null, []), CancellationToken.None);
        }

        var after = DateTimeOffset.UtcNow;
        var tested = outcome.ShouldBeOfType<AccountTestOutcome>();
        tested.Report.ShouldNotBeNull().Succeeded.ShouldBeTrue();
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var stream = await session.Events.FetchStreamAsync(account.Id);
        var recorded = stream.Select(e => e.Data).OfType<ConnectionTested>().ShouldHaveSingleItem();
        recorded.At.ShouldBeInRange(before, after);
        recorded.By.ShouldBe(owner);
        tested.Version.ShouldBe(stream[^1].Version);
        tested.Evidence.ShouldBeNull("a saved account keeps the test in its stream, not in the form");
    }

    [Fact]
    public async Task the_form_keeps_what_was_typed_but_never_sends_the_password_back()
    {
        var mailbox = await product.NewMailboxAsync();

        var (user, page) = await TestAsync(AccountForms.For(product, mailbox, title: "Kept title"));
        using var _ = user;

        AccountForms.FormIn(page.Html)["Input.Title"].ShouldBe("Kept title");
        page.Html.ShouldNotContain(mailbox.Password);
    }
}
