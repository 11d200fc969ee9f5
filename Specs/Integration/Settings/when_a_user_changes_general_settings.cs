using System.Net;
using Marten;
using MailAccounts.Domain.Settings;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine;

namespace MailAccounts.Specs.Integration.Settings;

[Collection(ProductCollection.Name)]
public sealed class when_a_user_changes_general_settings(ProductFixture product)
{
    private const string Page = "/Email/Settings/General";

    private static Dictionary<string, string> Form(int interval = 0, bool plainText = false, string charset = "utf-8", string signature = "", bool before = false, int pageSize = 50) => new()
    {
        ["Input.CheckIntervalMinutes"] = interval.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Input.PlainText"] = plainText ? "true" : "false",
        ["Input.Charset"] = charset,
        ["Input.DefaultSignatureId"] = signature,
        ["Input.SignatureBeforeQuote"] = before ? "true" : "false",
        ["Input.PageSize"] = pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private async Task<MailSettings> SettingsOfAsync(string login)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await MailSettingsQueries.ForUserAsync(session, await product.UserIdAsync(login), CancellationToken.None);
    }

    [Fact]
    public async Task a_new_user_sees_the_defaults()
    {
        using var user = await product.NewUserAsync();

        var page = (await user.Session.GetAsync(Page)).Dom;

        page.Field("Input.CheckIntervalMinutes").ShouldBe("0");
        page.Field("Input.Charset").ShouldBe("utf-8");
        page.Field("Input.PageSize").ShouldBe("50");
        page.Has("[data-empty=\"signatures\"]").ShouldBeTrue();
    }

    [Fact]
    public async Task each_change_is_in_the_history_and_saving_again_appends_nothing()
    {
        using var user = await product.NewUserAsync();

        (await user.Session.SubmitAsync(Page, Form(interval: 0, plainText: true, charset: "windows-1251", before: true, pageSize: 20))).Status
            .ShouldBe(HttpStatusCode.Redirect);
        await user.Session.SubmitAsync(Page, Form(interval: 0, plainText: true, charset: "windows-1251", before: true, pageSize: 20));

        var history = await user.Session.GetAsync(Page + "/History");
        history.Events().Count.ShouldBe(4);
        history.Events().Select(e => e.Event).ShouldContain(nameof(EncodingChanged));
        history.Changes().ShouldContain(("utf-8", "windows-1251"));
        history.Changes().ShouldContain(c => c.Before == "50" && c.After == "20");
        history.Changes().ShouldContain(c => c.After == "yes");
        history.Dom.Texts("#history [data-who]").ShouldContain("Test " + user.Login);
        (await SettingsOfAsync(user.Login)).PageSize.ShouldBe(20);
    }

    [Fact]
    public async Task a_value_not_in_the_list_is_refused_with_a_message_and_nothing_is_saved()
    {
        using var user = await product.NewUserAsync();

        var page = await user.Session.SubmitAsync(Page, Form(interval: 7, pageSize: 33, charset: "x-martian"));

        page.Status.ShouldBe(HttpStatusCode.OK);
        page.ErrorAt("Input.CheckIntervalMinutes").ShouldBe(product.Word(SettingsViolations.IntervalInvalid));
        page.ErrorAt("Input.PageSize").ShouldBe(product.Word(SettingsViolations.PageSizeInvalid));
        page.ErrorAt("Input.Charset").ShouldBe(product.Word(SettingsViolations.CharsetUnknown));
        (await user.Session.GetAsync(Page + "/History")).Dom.Has("[data-empty=\"history\"]").ShouldBeTrue();
    }

    [Fact]
    public async Task a_signature_template_error_shows_when_it_is_saved()
    {
        using var user = await product.NewUserAsync();

        var page = await user.Session.SubmitAsync("/Email/Settings/Signatures/Edit", new() { ["Input.Name"] = "Broken", ["Input.Html"] = "{{ user.password }}" });

        page.Status.ShouldBe(HttpStatusCode.OK);
        // The template engine's reason is the user's to read, at the field.
        page.ErrorAt("Input.Html").ShouldStartWith(product.Word(SettingsViolations.SignatureTemplateInvalid));
        page.ErrorAt("Input.Html").ShouldContain("is not one of the values a signature may use");
        (await SettingsOfAsync(user.Login)).Signatures.ShouldBeEmpty();
    }

    [Fact]
    public async Task a_signature_can_be_created_made_the_default_attached_edited_and_deleted()
    {
        using var user = await product.NewUserAsync();
        (await user.Session.SubmitAsync("/Email/Settings/Signatures/Edit", new() { ["Input.Name"] = "Regards", ["Input.Html"] = "<p>Regards, {{ user.name }}</p>" }))
            .Status.ShouldBe(HttpStatusCode.Redirect);
        var id = (await SettingsOfAsync(user.Login)).Signatures.Single().Id;

        await user.Session.SubmitAsync(Page, Form(signature: id.ToString()));
        (await SettingsOfAsync(user.Login)).DefaultSignatureId.ShouldBe(id);

        await user.Session.SubmitAsync($"/Email/Settings/Signatures/Edit/{id}", new() { ["Input.Name"] = "Regards", ["Input.Html"] = "<p>Best, {{ user.name }}</p>" });
        (await SettingsOfAsync(user.Login)).Signatures.Single().Html.ShouldBe("<p>Best, {{ user.name }}</p>");

        (await user.Session.SubmitAsync(Page, new() { ["signatureId"] = id.ToString() }, handler: "DeleteSignature")).Status.ShouldBe(HttpStatusCode.Redirect);
        var settings = await SettingsOfAsync(user.Login);
        settings.Signatures.ShouldBeEmpty();
        settings.DefaultSignatureId.ShouldBeNull();

        var history = (await user.Session.GetAsync(Page + "/History")).Events().Select(e => e.Event);
        new[] { nameof(SignatureCreated), nameof(DefaultSignatureChosen), nameof(SignatureEdited), nameof(SignatureDeleted) }.ShouldBeSubsetOf(history);
    }

    [Fact]
    public async Task a_five_minute_interval_schedules_a_durable_check_and_the_check_counts_the_mail()
    {
        using var user = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();
        await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, mailbox));
        var userId = await product.UserIdAsync(user.Login);

        await user.Session.SubmitAsync(Page, Form(interval: 5));

        // Wolverine keeps the check in PostgreSQL, due five minutes from now, so a restart does not lose it.
        var scheduled = await ScheduledChecksAsync(userId);
        var due = scheduled.ShouldHaveSingleItem();
        due.ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(4), DateTimeOffset.UtcNow.AddMinutes(5.5));

        // When it comes due it checks the accounts; run it now rather than wait five minutes.
        var settings = await SettingsOfAsync(user.Login);
        await InvokeAsync(product.Services, new CheckMail(userId, 5, settings.CheckIntervalChangedAt!.Value, due));
        var status = await StatusOfAsync(userId);
        status.Succeeded.ShouldBeTrue(status.Detail);
        status.Folders.ShouldContain(f => f.Folder == "INBOX");
        status.Checks.ShouldBe(1);
        (await user.Session.GetAsync("/Email/Settings/Accounts")).Dom.Has("#accounts [data-unread=\"0\"]").ShouldBeTrue();
    }

    [Fact]
    public async Task manually_schedules_nothing_and_a_superseded_chain_ends()
    {
        using var user = await product.NewUserAsync();
        var userId = await product.UserIdAsync(user.Login);
        await user.Session.SubmitAsync(Page, Form(interval: 0, pageSize: 20));
        (await ScheduledChecksAsync(userId)).ShouldBeEmpty();

        await user.Session.SubmitAsync(Page, Form(interval: 15));
        var chain = (await SettingsOfAsync(user.Login)).CheckIntervalChangedAt!.Value;
        await user.Session.SubmitAsync(Page, Form(interval: 0));

        await InvokeAsync(product.Services, new CheckMail(userId, 15, chain, DateTimeOffset.UtcNow));
        (await ScheduledChecksAsync(userId)).Count.ShouldBe(1, "only the check scheduled before Manually was chosen, which will end");
    }

    [Fact]
    public async Task with_two_hosts_on_one_database_a_slot_is_checked_once()
    {
        using var user = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();
        await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, mailbox));
        await user.Session.SubmitAsync(Page, Form(interval: 5));
        var userId = await product.UserIdAsync(user.Login);
        var settings = await SettingsOfAsync(user.Login);
        var slot = settings.CheckIntervalChangedAt!.Value.AddMinutes(5);

        await using var second = product.CreateHost();
        var check = new CheckMail(userId, 5, settings.CheckIntervalChangedAt.Value, slot);
        await Task.WhenAll(InvokeAsync(product.Services, check), InvokeAsync(second.Services, check));

        (await StatusOfAsync(userId)).Checks.ShouldBe(1);
    }

    [Fact]
    public async Task check_mail_checks_at_once()
    {
        using var user = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();
        await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, mailbox));

        var checkedNow = await user.Session.SubmitAsync("/Email/Settings/Accounts", [], handler: "CheckMail");

        // The check waits on the durable queue: the page says it is under way, and shows the counts once recorded.
        checkedNow.Status.ShouldBe(HttpStatusCode.Redirect);
        // The redirect names the check asked for: under way, or already done (the queue may be quicker than this request).
        var said = (await user.Session.GetAsync(checkedNow.Location!.ToString())).Dom.Texts("[role=status]");
        // Under way, the notice goes on to count the accounts checked so far.
        said.ShouldContain(t => t.StartsWith(product.Word("Accounts.CheckStarted"), StringComparison.Ordinal) || t == product.Word("Accounts.CheckDone"));
        (await MailChecks.WaitForStatusAsync(product, await product.UserIdAsync(user.Login))).Succeeded.ShouldBeTrue();
        (await user.Session.GetAsync("/Email/Settings/Accounts")).Dom.Has("#accounts [data-unread=\"0\"]").ShouldBeTrue();
    }

    private static async Task InvokeAsync(IServiceProvider services, object message)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync(message);
    }

    private async Task<MailboxStatus> StatusOfAsync(Guid userId)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.Query<MailboxStatus>().Where(s => s.UserId == userId).ToListAsync()).ShouldHaveSingleItem();
    }

    /// <summary>The due times of the user's scheduled checks, as Wolverine stored them.</summary>
    private async Task<List<DateTimeOffset>> ScheduledChecksAsync(Guid userId)
    {
        await using var connection = new NpgsqlConnection(product.Postgres.ConnectionString);
        await connection.OpenAsync();
        await using var find = new NpgsqlCommand(
            "select format('%I.%I', table_schema, table_name) from information_schema.tables where table_name = 'wolverine_incoming_envelopes'", connection);
        var table = (string)(await find.ExecuteScalarAsync())!;
        await using var query = new NpgsqlCommand(
            $"select execution_time from {table} where status = 'Scheduled' and message_type like '%CheckMail%' and position(@user in body) > 0",
            connection);
        query.Parameters.AddWithValue("user", System.Text.Encoding.UTF8.GetBytes(userId.ToString()));
        var due = new List<DateTimeOffset>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            due.Add(new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(0), DateTimeKind.Utc)));
        }

        return due;
    }

    [Fact]
    public async Task the_test_email_is_written_as_the_settings_say_plain_text_in_the_charset_with_the_accounts_signature()
    {
        using var user = await product.NewUserAsync();
        var sender = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        await user.Session.SubmitAsync("/Email/Settings/Signatures/Edit", new() { ["Input.Name"] = "Подпись", ["Input.Html"] = "<p>С уважением,<br>{{ account.name }}</p>" });
        var signature = (await SettingsOfAsync(user.Login)).Signatures.Single().Id;
        await user.Session.SubmitAsync(Page, Form(plainText: true, charset: "windows-1251"));

        var form = AccountForms.SendingAs(product, sender).With("Input.Name", "Анна").With("Input.SignatureId", signature.ToString())
            .With("Input.TestRecipient", recipient.Address);
        (await user.Session.SubmitAsync(AccountForms.AddPage, form, "SendTest")).Html.ShouldContain("Test email sent");

        var arrived = await product.WaitForMessageAsync(recipient, MailKit.Search.SearchQuery.All);
        var body = arrived.BodyParts.OfType<MimeKit.TextPart>().Single();
        body.IsPlain.ShouldBeTrue();
        body.ContentType.Charset.ShouldBe("windows-1251");
        body.Text.ShouldContain("С уважением,\nАнна");

        (await user.Session.SubmitAsync(AccountForms.AddPage, form)).Status.ShouldBe(HttpStatusCode.Redirect);
        var history = await user.Session.GetAsync(AccountForms.HistoryPathIn((await user.Session.GetAsync("/Email/Settings/Accounts")).Html));
        history.Events().Select(e => e.Event).ShouldContain(nameof(MailAccounts.Domain.Accounts.SignatureAttached));
        history.Changes().ShouldContain(c => c.After == "Подпись");
    }

    [Fact]
    public async Task folder_management_shows_the_servers_folders_and_keeps_the_choice()
    {
        using var user = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();
        await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, mailbox, title: "Folders"));
        var folders = AccountForms.EditPathIn((await user.Session.GetAsync("/Email/Settings/Accounts")).Html).Replace("/Accounts/Edit/", "/Folders/", StringComparison.Ordinal);

        var page = (await user.Session.GetAsync(folders)).Dom;
        new[] { "INBOX", "Sent", "Trash", "Drafts", "Junk" }.ShouldBeSubsetOf(page.All("#visible-folders input[name=\"chosen\"]").Select(box => box.GetAttribute("value")!));

        var saved = await user.Session.SubmitAsync(folders, new()
        {
            ["chosen"] = "INBOX", ["serverFolders"] = "INBOX",
        });
        saved.Status.ShouldBe(HttpStatusCode.Redirect);
        (await SettingsOfAsync(user.Login)).VisibleFolders.Single().Folders.ShouldBe(["INBOX"]);
        var account = folders[^36..];
        (await user.Session.GetAsync(Page)).Dom.One($"li[data-account=\"{account}\"]").GetAttribute("data-visible-folders").ShouldBe("INBOX");
        var shown = (await user.Session.GetAsync(Page + "/History")).Dom.One("#history tr[data-event=\"VisibleFoldersChosen\"]");
        // The change names the account by its title.
        shown.QuerySelectorAll("[data-change] .setting").Select(setting => setting.TextContent).ShouldContain(string.Format(product.Word("General.VisibleFoldersOf"), "Folders"));
    }
}
