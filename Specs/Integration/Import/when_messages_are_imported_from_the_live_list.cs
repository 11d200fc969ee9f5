using System.Globalization;
using System.Net;
using System.Text.Json;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.Integration.Import;

/// <summary>
/// The live list's Import action and its marks, as the page's form and script ask for them: the chosen UIDs are queued
/// and the list comes back on the same page with what was done; the marks' JSON says which UIDs the system holds; an
/// account that is not the user's is refused with the usual message, and its marks are not told.
/// </summary>
[Collection(ImportCollection.Name)]
public sealed class when_messages_are_imported_from_the_live_list(ProductFixture product)
{
    private static Dictionary<string, string> Import(Guid account, uint uid, int page = 1) => new()
    {
        ["account"] = account.ToString(),
        ["folder"] = "INBOX",
        ["act"] = "import",
        ["uids"] = uid.ToString(CultureInfo.InvariantCulture),
        ["p"] = page.ToString(CultureInfo.InvariantCulture),
    };

    private static async Task<string[]> MarksAsync(TestUser user, Guid account, uint validity, params uint[] uids)
    {
        using var response = await user.Session.GetResponseAsync(
            $"/Email?handler=Imported&account={account}&folder=INBOX&validity={validity}&uids={string.Join(',', uids)}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. json.RootElement.GetProperty("imported").EnumerateArray().Select(e => e.GetString()!)];
    }

    private async Task<uint> ValidityAsync(Mailbox mailbox)
    {
        using var client = await product.SignInAsync(mailbox);
        await client.Inbox.OpenAsync(MailKit.FolderAccess.ReadOnly);
        var validity = client.Inbox.UidValidity;
        await client.DisconnectAsync(true);
        return validity;
    }

    [Fact]
    public async Task the_chosen_messages_are_imported_and_the_list_comes_back_on_its_page_with_their_marks()
    {
        using var importing = await product.ImportingAccountAsync(on: false);
        var uids = await product.AppendAsync(importing.Mailbox, "INBOX", [Importing.Message("Chosen"), Importing.Message("Not chosen")]);
        var validity = await ValidityAsync(importing.Mailbox);
        (await MarksAsync(importing.User, importing.AccountId, validity, [.. uids])).ShouldBeEmpty();

        var posted = await importing.User.Session.SubmitAsync($"/Email?account={importing.AccountId}", Import(importing.AccountId, uids[0], page: 2), postTo: "/Email?handler=Bulk");

        posted.Status.ShouldBe(HttpStatusCode.Redirect);
        posted.Location!.ToString().ShouldBe($"/Email?account={importing.AccountId}&folder=INBOX&p=2");
        var shown = await importing.User.Session.GetAsync($"/Email?account={importing.AccountId}&inline=true");
        shown.Html.ShouldContain(string.Format(CultureInfo.InvariantCulture, product.Word("List.Did.import.One"), 1));
        shown.Html.ShouldContain($"data-importing=\"{uids[0]}\"");

        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while ((await MarksAsync(importing.User, importing.AccountId, validity, [.. uids])).Length == 0)
        {
            DateTimeOffset.UtcNow.ShouldBeLessThan(deadline, "the import was not done");
            await Task.Delay(200);
        }

        (await MarksAsync(importing.User, importing.AccountId, validity, [.. uids])).ShouldBe([uids[0].ToString(CultureInfo.InvariantCulture)]);
        (await product.LettersAsync(importing.AccountId)).Count.ShouldBe(1);
        // Under another UIDVALIDITY the UIDs name other messages: none of them is imported.
        (await MarksAsync(importing.User, importing.AccountId, validity + 1, [.. uids])).ShouldBeEmpty();
        var listed = await importing.User.Session.GetAsync($"/Email?account={importing.AccountId}&inline=true");
        listed.Dom.All("#messages tr[data-message]").Count.ShouldBe(2);
        listed.Dom.All("#messages tr[data-message] [data-imported]").Count.ShouldBe(1);
    }

    [Fact]
    public async Task nothing_chosen_says_so_and_imports_nothing()
    {
        using var importing = await product.ImportingAccountAsync(on: false);
        await product.AppendAsync(importing.Mailbox, "INBOX", [Importing.Message("Left")]);
        var fields = Import(importing.AccountId, 0);

        var posted = await importing.User.Session.SubmitAsync($"/Email?account={importing.AccountId}", fields, postTo: "/Email?handler=Bulk");

        posted.Status.ShouldBe(HttpStatusCode.Redirect);
        posted.Location!.ToString().ShouldBe($"/Email?account={importing.AccountId}&folder=INBOX");
        (await importing.User.Session.GetAsync(posted.Location.ToString() + "&inline=true")).Html.ShouldContain(product.Word("List.NothingChosen"));
    }

    [Fact]
    public async Task a_pop3_list_marks_what_the_import_brought_in_and_has_no_import_action()
    {
        // POP3 has no toolbar (its UIDLs are not the command's UIDs), but its imported messages are marked: by UIDL, under no UIDVALIDITY.
        using var importing = await product.ImportingAccountAsync(protocol: "Pop3", on: true);
        await product.AppendAsync(importing.Mailbox, "INBOX", [Importing.Message("Came by POP3")]);
        var before = await importing.User.Session.GetAsync($"/Email?account={importing.AccountId}&inline=true");
        before.Dom.All("#messages tr[data-message]").Count.ShouldBe(1);
        before.Dom.All("#messages tr[data-message] [data-imported]").ShouldBeEmpty();
        before.Dom.Has("button[data-bulk-action='import']").ShouldBeFalse();

        await product.ImportAsync(importing.AccountId);

        var after = await importing.User.Session.GetAsync($"/Email?account={importing.AccountId}&inline=true");
        after.Dom.All("#messages tr[data-message] [data-imported]").Count.ShouldBe(1);
    }

    [Fact]
    public async Task another_users_account_is_refused_and_its_marks_are_not_told()
    {
        using var owner = await product.ImportingAccountAsync(on: false);
        var uids = await product.AppendAsync(owner.Mailbox, "INBOX", [Importing.Message("Not yours")]);
        using var stranger = await product.ImportingAccountAsync(on: false);

        var posted = await stranger.User.Session.SubmitAsync("/Email", Import(owner.AccountId, uids[0]), postTo: "/Email?handler=Bulk");

        posted.Status.ShouldBe(HttpStatusCode.Redirect);
        posted.Location!.ToString().ShouldBe("/Email");
        (await stranger.User.Session.GetAsync("/Email?inline=true")).Html.ShouldContain(product.Word("Account.Unknown"));
        using var marks = await stranger.User.Session.GetResponseAsync($"/Email?handler=Imported&account={owner.AccountId}&folder=INBOX&validity=1&uids={uids[0]}");
        marks.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // That the refusal queues nothing is when_one_letter_is_found_in_many_places's to prove, at the handler.
        (await product.LettersAsync(owner.AccountId)).ShouldBeEmpty();
    }
}
