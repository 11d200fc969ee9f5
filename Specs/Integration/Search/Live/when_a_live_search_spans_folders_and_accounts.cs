using System.Net;
using MailAccounts.Specs.Support;
using MailKit;
using MimeKit;

namespace MailAccounts.Specs.Integration.Search.Live;

/// <summary>
/// The search box of the live list, through the page: the scopes (this folder, with its subfolders, every folder of the
/// account, every account the user may use) find what is there and nothing beyond, merged newest first with each row's
/// account and folder; a group account's mail is found while access is granted and not once it is revoked, and never
/// by anyone else; an invalid query gets its words at the box in the page's language; a POP3 account is searched by
/// its headers and says what it cannot search.
/// </summary>
[Collection(MailboxCollection.Name)]
public sealed class when_a_live_search_spans_folders_and_accounts(ProductFixture product)
{
    private static MimeMessage Letter(string subject, string from = "boris@specs.test")
    {
        var message = Importing.Message(subject);
        message.From.Clear();
        message.From.Add(MailboxAddress.Parse(from));
        return message;
    }

    /// <summary>Projects and Projects/Alpha (in the server's own separator) under the personal namespace; their full names.</summary>
    private async Task<(string Projects, string Alpha)> FoldersAsync(Mailbox mailbox)
    {
        using var client = await product.SignInAsync(mailbox);
        var root = await client.GetFolderAsync(client.PersonalNamespaces[0].Path);
        var projects = await root.CreateAsync("Projects", false) ?? throw new InvalidOperationException("no Projects");
        var alpha = await projects.CreateAsync("Alpha", true) ?? throw new InvalidOperationException("no Alpha");
        await client.DisconnectAsync(true);
        return (projects.FullName, alpha.FullName);
    }

    private static string Search(Guid account, string folder, string query) =>
        $"/Email?account={account}&folder={Uri.EscapeDataString(folder)}&{query}";

    [Fact]
    public async Task each_scope_finds_its_folders_letters_newest_first_with_where_they_are()
    {
        var owner = await product.ImportingAccountAsync(on: false);
        var (projects, alpha) = await FoldersAsync(owner.Mailbox);
        var day = DateTimeOffset.UtcNow.AddDays(-3);
        await product.AppendAsync(owner.Mailbox, "INBOX", [Letter("Invoice inbox")], MessageFlags.None, day);
        await product.AppendAsync(owner.Mailbox, projects, [Letter("Invoice projects")], MessageFlags.None, day.AddHours(1));
        await product.AppendAsync(owner.Mailbox, alpha, [Letter("Invoice alpha")], MessageFlags.None, day.AddHours(2));
        await product.AppendAsync(owner.Mailbox, alpha, [Letter("Unrelated alpha")], MessageFlags.None, day.AddHours(3));
        var session = owner.User.Session;

        (await session.GetAsync(Search(owner.AccountId, projects, "q=invoice&scope=folder"))).Subjects().ShouldBe(["Invoice projects"]);
        (await session.GetAsync(Search(owner.AccountId, projects, "q=invoice&scope=subfolders"))).Subjects().ShouldBe(["Invoice alpha", "Invoice projects"]);
        var account = await session.GetAsync(Search(owner.AccountId, projects, "q=invoice&scope=account"));
        account.Subjects().ShouldBe(["Invoice alpha", "Invoice projects", "Invoice inbox"]);
        account.Dom.Texts("#messages tr[data-message] [data-folder-title]").ShouldBe([alpha, projects, "Inbox"]);
        account.Dom.Text("[data-search-found]").ShouldBe(product.Word("Search.Found").Replace("{0}", "3"));
        account.Dom.Has("[data-not-searched]").ShouldBeFalse();

        // The box keeps what was asked, and the address is the search: paging keeps it.
        account.Dom.One("#search-q").GetAttribute("value").ShouldBe("invoice");
        account.Dom.One("input[name=scope][value=account]").HasAttribute("checked").ShouldBeTrue();
        account.Dom.One("[data-search-elsewhere=imported]").GetAttribute("href").ShouldBe("/Email/Imported?q=invoice");
    }

    [Fact]
    public async Task all_accounts_are_the_users_own_and_the_group_accounts_granted_to_them_and_no_other()
    {
        using var admin = await product.AdministratorAsync();
        var groupBox = await product.NewMailboxAsync();
        await product.AppendAsync(groupBox, "INBOX", [Letter("Contract from the group", "client@acme.test")]);
        var group = await product.GroupAccountAsync(admin, groupBox, "Sales " + Guid.NewGuid().ToString("N")[..6]);
        var owner = await product.ImportingAccountAsync(on: false);
        await product.AppendAsync(owner.Mailbox, "INBOX", [Letter("Contract of my own")]);
        var stranger = await product.ImportingAccountAsync(on: false);
        await product.AppendAsync(stranger.Mailbox, "INBOX", [Letter("Contract of a stranger")]);
        var everywhere = Search(owner.AccountId, "INBOX", "q=subject:contract&scope=all");

        (await owner.User.Session.GetAsync(everywhere)).Subjects().ShouldBe(["Contract of my own"]);

        await product.GrantAsync(admin, group, owner.User.Login);
        var granted = await owner.User.Session.GetAsync(everywhere);
        granted.Subjects().ShouldBe(["Contract of my own", "Contract from the group"], ignoreOrder: true);
        granted.Dom.Texts("#messages tr[data-message] [data-account-title]").Count.ShouldBe(2);

        await product.RevokeAsync(admin, group, owner.User.Login);
        (await owner.User.Session.GetAsync(everywhere)).Subjects().ShouldBe(["Contract of my own"]);
        (await stranger.User.Session.GetAsync(Search(stranger.AccountId, "INBOX", "q=subject:contract&scope=all"))).Subjects().ShouldBe(["Contract of a stranger"]);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task an_invalid_query_gets_its_words_at_the_box_in_the_pages_language(string culture)
    {
        var owner = await product.ImportingAccountAsync(on: false);
        await owner.User.Session.SubmitAsync("/Email", new() { ["culture"] = culture, ["returnUrl"] = "/Email" }, postTo: "/Culture");

        var page = await owner.User.Session.GetAsync(Search(owner.AccountId, "INBOX", "q=" + Uri.EscapeDataString("is:sleeping \"unclosed")));
        var sizes = await owner.User.Session.GetAsync(Search(owner.AccountId, "INBOX", "larger=huge"));

        page.Status.ShouldBe(HttpStatusCode.OK);
        var said = page.Dom.Text("[data-search-problem=q]");
        said.ShouldContain(product.Word("Search.UnknownIs", culture).Replace("{0}", "is:sleeping"));
        said.ShouldContain(product.Word("Search.UnclosedQuote", culture).Replace("{0}", "\"unclosed"));
        page.Dom.One("#search-q").GetAttribute("aria-invalid").ShouldBe("true");
        sizes.Status.ShouldBe(HttpStatusCode.OK);
        sizes.Dom.Text("#search-larger-problem").ShouldBe(product.Word("Search.BadSize", culture).Replace("{0}", "huge"));
        sizes.Dom.Has("details[data-search-advanced][open]").ShouldBeTrue();
    }

    [Fact]
    public async Task a_pop3_account_is_searched_by_its_headers_and_says_what_it_cannot_search()
    {
        var owner = await product.ImportingAccountAsync(protocol: "Pop3", on: false);
        var cyrillic = Letter("Счёт за декабрь", "anna@acme.test");
        await product.AppendAsync(owner.Mailbox, "INBOX", [cyrillic, Letter("Weekly news"), Letter("Invoice for December", "anna@acme.test")]);
        var session = owner.User.Session;

        var byHeaders = await session.GetAsync(Search(owner.AccountId, "INBOX", "q=" + Uri.EscapeDataString("from:anna@acme")));
        var bySubject = await session.GetAsync(Search(owner.AccountId, "INBOX", "q=" + Uri.EscapeDataString("счёт")));
        var byBody = await session.GetAsync(Search(owner.AccountId, "INBOX", "q=body:hello"));

        byHeaders.Subjects().ShouldBe(["Invoice for December", "Счёт за декабрь"]);
        byHeaders.Dom.Text("[data-search-note]").ShouldBe(product.Word("Search.Pop3Note"));
        bySubject.Subjects().ShouldBe(["Счёт за декабрь"]);
        byBody.Subjects().ShouldBeEmpty();
        byBody.Dom.Text("[data-not-searched] li").ShouldContain(product.Word("Search.Pop3Unsupported").Replace("{0}", "body:hello"));
    }
}
