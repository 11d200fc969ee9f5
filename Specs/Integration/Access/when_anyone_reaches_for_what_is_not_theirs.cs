using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using MailKit;
using MailAccounts.Domain.Accounts;
using MailAccounts.Specs.Integration.Contacts;
using MailAccounts.Specs.Support;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace MailAccounts.Specs.Integration.Access;

/// <summary>
/// Every page and handler the host registers, found from its endpoints (a page added later is tried without a line
/// here), tried by everyone: an individual account's owner, another user and an administrator; a group account's
/// administrator, the user it is granted to, a user without a grant and a user whose grant was revoked. Whatever a
/// request names (an account, a folder and message of it, an attachment, a signature, a draft, a user) must be
/// theirs to reach, or the answer is 404, the same as for what does not exist; and a page that names nothing must
/// not show an account that is not theirs.
/// </summary>
/// <remarks>Its own product: administrators' handlers run here with made-up values, which must not disturb others.</remarks>
[Collection(SharedSettingsCollection.Name)]
public sealed partial class when_anyone_reaches_for_what_is_not_theirs(ProductFixture product)
{
    /// <summary>Handlers that would end the session of the person trying them, or are the way in.</summary>
    private static readonly string[] NotTried = ["/SignIn", "/SignOut", "/Error"];

    private sealed record Principal(string Name, UserSession Session, bool Administrator);

    /// <summary>An account and what else one user owns; <paramref name="Allowed"/>: who may do what with the account, null for everything.</summary>
    private sealed record World(
        string Name, Guid Account, string Title, Guid Signature, Guid Draft, Guid User, string Owner,
        IReadOnlyDictionary<string, AccountUse[]?> Allowed, Guid Server = default, string ServerOwner = "")
    {
        /// <summary>A letter imported from the account, and one message of it that could not be imported.</summary>
        public Guid Letter { get; init; }

        public Guid Quarantined { get; init; }

        /// <summary>A letter of the account for each asker to delete: one deleted by an asker is not there for the next.</summary>
        public IReadOnlyDictionary<string, Guid> Deletable { get; init; } = new Dictionary<string, Guid>();

        /// <summary>A contact (the organisation's: everyone's to reach), its address, and one for each asker to try to delete.</summary>
        public Guid Contact { get; init; }

        public string ContactAddress { get; init; } = "";

        public IReadOnlyDictionary<string, Guid> DeletableContacts { get; init; } = new Dictionary<string, Guid>();

        /// <summary>A sign-in provider the administrators registered: theirs alone to open, change and audit.</summary>
        public Guid Provider { get; init; }
    }

    private sealed record Route(string Page, string Template, string Verb, string? Handler, IReadOnlyList<string> Parameters);

    [Fact]
    public async Task every_page_and_handler_answers_404_for_what_is_not_the_askers_own()
    {
        using var admin = await product.AdministratorAsync();
        using var owner = await product.NewUserAsync();
        using var stranger = await product.NewUserAsync();
        using var granted = await product.NewUserAsync();
        using var revoked = await product.NewUserAsync();

        var individual = await WorldOfAsync(owner, "Private " + Suffix());
        var groupTitle = "Shared " + Suffix();
        var groupMailbox = await MailboxWithMailAsync();
        var group = await product.GroupAccountAsync(admin, groupMailbox, groupTitle);
        await product.GrantAsync(admin, group, granted.Login);
        await product.GrantAsync(admin, group, revoked.Login);
        await product.RevokeAsync(admin, group, revoked.Login);
        var grantedsOwn = await WorldOfAsync(granted, "Granted own " + Suffix());

        var principals = new Dictionary<string, Principal>
        {
            ["owner"] = new("owner", owner.Session, false),
            ["stranger"] = new("stranger", stranger.Session, false),
            ["granted"] = new("granted", granted.Session, false),
            ["revoked"] = new("revoked", revoked.Session, false),
            ["administrator"] = new("administrator", admin, true),
        };

        // Who may do what with each account, by the account rule; the signature, draft and user are the owner's.
        var worlds = new[]
        {
            individual with
            {
                Name = "individual account",
                Owner = "owner",
                ServerOwner = "owner",
                Allowed = new Dictionary<string, AccountUse[]?> { ["owner"] = null, ["administrator"] = [AccountUse.Audit, AccountUse.Administer] },
            },
            grantedsOwn with
            {
                Name = "group account",
                Account = group,
                Title = groupTitle,
                Owner = "granted",
                Server = await OutgoingServerOfAsync(group),
                ServerOwner = "administrator",
                Allowed = new Dictionary<string, AccountUse[]?> { ["administrator"] = null, ["granted"] = [AccountUse.Use] },
            },
        };

        var provider = await SignInProviderAsync(admin);

        // Imported mail: a letter of each account, a message that could not be imported, and a letter for each asker to delete.
        for (var w = 0; w < worlds.Length; w++)
        {
            var account = worlds[w].Account;
            var deletable = new Dictionary<string, Guid>();
            foreach (var name in principals.Keys)
            {
                deletable[name] = await product.ImportLetterAsync(account, ImportedLetters.Message($"For {name} to delete"));
            }

            var contactAddress = $"contact-{Suffix()}@example.com";
            var deletableContacts = new Dictionary<string, Guid>();
            foreach (var (name, principal) in principals)
            {
                deletableContacts[name] = await principal.Session.AddContactAsync($"For {name} to delete", "", $"delete-{Suffix()}@example.com");
            }

            worlds[w] = worlds[w] with
            {
                Contact = await owner.Session.AddContactAsync("World contact " + Suffix(), "", contactAddress),
                ContactAddress = contactAddress,
                DeletableContacts = deletableContacts,
                Letter = await product.ImportLetterAsync(account, ImportedLetters.Message("Imported " + worlds[w].Title, attachment: ("imported.txt", "imported"u8.ToArray()))),
                Quarantined = await product.QuarantineMessageAsync(account, "broken"),
                Deletable = deletable,
                Provider = provider,
            };
        }

        var routes = Routes();
        routes.Select(r => r.Page).ShouldContain("/Email/Message");
        routes.Select(r => r.Page).ShouldContain("/Email/Imported/Letter");
        routes.Select(r => r.Page).ShouldContain("/Admin/Accounts/Access");
        routes.Select(r => r.Page).ShouldContain("/Email/Imported/Progress");
        routes.Select(r => r.Page).ShouldContain("/Contacts/Contact");
        var failures = new List<string>();

        // The asker of each world who may do everything goes last, destructive handlers last of all.
        foreach (var world in worlds)
        {
                var order = principals.Values.OrderBy(p => world.Allowed.TryGetValue(p.Name, out var use) && use is null ? 1 : 0);
            foreach (var principal in order)
            {
                foreach (var route in routes.OrderBy(r => r.Verb == "POST").ThenBy(r => Destructive(r)).ThenBy(r => r.Page == "/Email/Settings/Accounts/Delete"))
                {
                    var (status, html, location) = await TryAsync(principal, route, world);
                    if (route.Page == "/Email/Imported/Letter" && route.Handler == "Delete")
                    {
                        await using var letters = product.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession();
                        var kept = await letters.LoadAsync<MailAccounts.Domain.Import.Letter>(world.Deletable[principal.Name]);
                        if (kept?.Deleted != (Expect(route, world, principal) == Expectation.Reached))
                        {
                            failures.Add($"POST /Email/Imported/Letter?handler=Delete as {principal.Name} on the {world.Name}: the letter is {(kept?.Deleted == true ? "" : "not ")}deleted");
                        }
                    }

                    if (route.Handler == "Rebuild")
                    {
                        // The views are rebuilt in the background: the next asker must not meet them half-built.
                        await product.Services.GetRequiredService<MailAccounts.Infrastructure.Diagnostics.ProjectionRebuild>().WhenDoneAsync();
                    }

                    var expected = Expect(route, world, principal);
                    var refused = status == HttpStatusCode.NotFound
                        || ((route.Page.StartsWith("/Admin", StringComparison.Ordinal) || ContactDelete(route)) && !principal.Administrator
                            && (status == HttpStatusCode.Forbidden || location?.Contains("/Forbidden", StringComparison.Ordinal) == true));
                    var label = $"{route.Verb} {route.Page}{(route.Handler is null ? "" : "?handler=" + route.Handler)} as {principal.Name} on the {world.Name}";
                    if (status == HttpStatusCode.InternalServerError)
                    {
                        failures.Add($"{label}: 500");
                    }
                    else if (expected == Expectation.Refused && !refused)
                    {
                        failures.Add($"{label}: {(int)status}, expected 404");
                    }
                    else if (expected == Expectation.Reached && (refused || location?.Contains("/SignIn", StringComparison.Ordinal) == true))
                    {
                        failures.Add($"{label}: {(int)status} {location}, expected to be reached; {Regex.Match(html, "<main>(.{0,300})", RegexOptions.Singleline).Groups[1].Value}");
                    }
                    else if (expected == Expectation.NamesNothing && status == HttpStatusCode.OK && html.Contains(world.Title, StringComparison.Ordinal)
                             && !AccountVisible(world, principal))
                    {
                        failures.Add($"{label}: shows {world.Title}");
                    }
                }
            }
        }

        failures.ShouldBeEmpty(string.Join(Environment.NewLine, failures));
    }

    private enum Expectation
    {
        Reached,
        Refused,
        NamesNothing,
    }

    private static Expectation Expect(Route route, World world, Principal principal)
    {
        var admin = principal.Administrator;
        if (route.Page.StartsWith("/Admin", StringComparison.Ordinal) && !admin)
        {
            return Expectation.Refused;
        }

        var names = route.Parameters.Select(p => Resource(route, p)).Where(r => r is not null).ToHashSet();
        if (names.Count == 0)
        {
            return Expectation.NamesNothing;
        }

        if ((names.Contains("signature") || names.Contains("draft")) && principal.Name != world.Owner)
        {
            return Expectation.Refused;
        }

        if (names.Contains("contact"))
        {
            // Contacts are the organisation's: everyone reaches them; only administrators delete.
            return ContactDelete(route) && !admin ? Expectation.Refused : Expectation.Reached;
        }

        if (names.Contains("server"))
        {
            return principal.Name == world.ServerOwner ? Expectation.Reached : Expectation.Refused;
        }

        if (names.Contains("provider"))
        {
            // The /Admin folder's rule refused everyone else above.
            return Expectation.Reached;
        }

        if (names.Contains("user") && !admin)
        {
            return Expectation.Refused;
        }

        if (!names.Contains("account") && !names.Contains("letter") && !names.Contains("quarantined"))
        {
            return Expectation.Reached;
        }

        var needed = route.Page switch
        {
            var p when p.StartsWith("/Admin/Accounts", StringComparison.Ordinal) => AccountUse.Administer,
            var p when p.StartsWith("/Admin/Audit", StringComparison.Ordinal) => AccountUse.Audit,
            var p when p.EndsWith("/History", StringComparison.Ordinal) => AccountUse.Audit,
            // The list of the user's accounts checks the mail of one the user may use (a row's Check).
            "/Email/Settings/Accounts/Index" => AccountUse.Use,
            var p when p.StartsWith("/Email/Settings/Accounts/", StringComparison.Ordinal) => AccountUse.Configure,
            _ => AccountUse.Use,
        };
        if (route.Page == "/Admin/Accounts/Access" && world.Name == "individual account")
        {
            // Only group accounts are shared.
            return Expectation.Refused;
        }

        return world.Allowed.TryGetValue(principal.Name, out var allowed) && (allowed is null || allowed.Contains(needed))
            ? Expectation.Reached
            : Expectation.Refused;
    }

    private static bool ContactDelete(Route route) => route.Page.StartsWith("/Contacts/", StringComparison.Ordinal) && route.Handler == "Delete";

    private static bool AccountVisible(World world, Principal principal) =>
        world.Allowed.ContainsKey(principal.Name);

    /// <summary>What a parameter of a page names, if anything.</summary>
    private static string? Resource(Route route, string parameter) => parameter switch
    {
        "id" when route.Page.StartsWith("/Email/Settings/Signatures", StringComparison.Ordinal) => "signature",
        "id" when route.Page.StartsWith("/Contacts/", StringComparison.Ordinal) => "contact",
        "id" when route.Page.StartsWith("/Admin/Users", StringComparison.Ordinal) => "user",
        "id" when route.Page.StartsWith("/Admin/SignInProviders", StringComparison.Ordinal) => "provider",
        "id" when route.Page == "/Email/Outbox" => "draft",
        "id" when route.Page.StartsWith("/Email/Settings/OutgoingServers", StringComparison.Ordinal) => "server",
        // Imported mail is read by the account rule: a letter, or a message that could not be imported, of an account.
        "id" when route.Page == "/Email/Imported/Failed" => "quarantined",
        "id" when route.Page.StartsWith("/Email/Imported/", StringComparison.Ordinal) => "letter",
        "id" or "account" or "accounts" or "Input.AccountId" => "account",
        "signatureId" => "signature",
        "draft" or "Input.MailId" => "draft",
        "userId" => "user",
        _ => null,
    };

    private static bool Destructive(Route route) =>
        route.Handler is "Delete" or "Discard" or "Deactivate" or "Revoke" or "Move" or "DeleteSignature"
        || route.Page is "/Email/Settings/Accounts/Delete" or "/Email/Compose";

    private async Task<(HttpStatusCode Status, string Html, string? Location)> TryAsync(Principal principal, Route route, World world)
    {
        var values = route.Parameters.ToDictionary(p => p, p => Value(route, p, world, principal));
        var path = "/" + RouteParameter().Replace(route.Template, m => values.Remove(m.Groups[1].Value, out var value) ? value : "");
        path = path.TrimEnd('/');
        path = path.Length == 0 ? "/" : path;
        var query = new List<string>();
        if (route.Handler is not null)
        {
            query.Add("handler=" + route.Handler);
        }

        if (route.Verb == "GET")
        {
            query.AddRange(values.Select(v => $"{v.Key}={Uri.EscapeDataString(v.Value)}"));
            var page = await principal.Session.GetAsync(path + (query.Count > 0 ? "?" + string.Join('&', query) : ""));
            return (page.Status, page.Html, page.Location?.ToString());
        }

        values["__RequestVerificationToken"] = await TokenAsync(principal);
        var posted = await principal.Session.PostAsync(
            path + (query.Count > 0 ? "?" + string.Join('&', query) : ""), new FormUrlEncodedContent(values));
        return (posted.Status, posted.Html, posted.Location?.ToString());
    }

    private static string Value(Route route, string parameter, World world, Principal principal) => Resource(route, parameter) switch
    {
        "account" => world.Account.ToString(),
        "letter" => (Destructive(route) ? world.Deletable[principal.Name] : world.Letter).ToString(),
        "contact" => (Destructive(route) ? world.DeletableContacts[principal.Name] : world.Contact).ToString(),
        "quarantined" => world.Quarantined.ToString(),
        "signature" => world.Signature.ToString(),
        "draft" => world.Draft.ToString(),
        "user" => world.User.ToString(),
        "server" => world.Server.ToString(),
        "provider" => world.Provider.ToString(),
        _ => parameter switch
        {
            "folder" => "INBOX",
            // Mark valid names an address of the contact; Add to contacts, one to fill the form in with.
            "address" => world.ContactAddress,
            // Moving or deleting the message would take it from those who try after: these name one that is not there.
            "uid" => Destructive(route) ? "999999" : "1",
            "index" or "n" => "0",
            "mode" => "reply",
            "flag" => "seen",
            "set" => "true",
            "target" => "Trash",
            "returnUrl" => "/Email",
            "p" => "1",
            "culture" => "en",
            // Without a reason a deactivation is refused on the page: reached, and nothing deactivated for those after.
            "reason" => "",
            "active" => "true",
            _ => "",
        },
    };

    private static async Task<string> TokenAsync(Principal principal)
    {
        var page = await principal.Session.GetAsync("/Email/Settings/General");
        return page.Dom.Field("__RequestVerificationToken")!;
    }

    /// <summary>Every page, verb and handler of the host, with the parameters its handler and route take.</summary>
    private IReadOnlyList<Route> Routes()
    {
        var webHost = typeof(Program).Assembly;
        var pages = product.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Page: e.Metadata.GetMetadata<PageActionDescriptor>()))
            .Where(e => e.Page is not null && !NotTried.Contains(e.Page.ViewEnginePath))
            .ToArray();
        var routes = new List<Route>();
        foreach (var (endpoint, page) in pages)
        {
            var modelName = "MailAccounts.WebHost.Pages" + page!.ViewEnginePath.Replace('/', '.') + "Model";
            var model = webHost.GetType(modelName);
            var template = endpoint.RoutePattern.RawText ?? "";
            if (model is null)
            {
                // A page without a model of its own only shows itself.
                routes.Add(new Route(page.ViewEnginePath, template, "GET", null, []));
                continue;
            }

            var routeParameters = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToArray();
            foreach (var method in model.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                var match = HandlerMethod().Match(method.Name);
                if (!match.Success)
                {
                    continue;
                }

                var parameters = method.GetParameters()
                    .Where(p => p.ParameterType != typeof(CancellationToken))
                    .Select(p => p.Name!)
                    .Concat(routeParameters)
                    .Concat(page.ViewEnginePath == "/Email/Compose" && match.Groups[1].Value == "Post" ? ["Input.AccountId", "Input.MailId"] : [])
                    .Distinct()
                    .ToArray();
                var handler = match.Groups[2].Value;
                routes.Add(new Route(page.ViewEnginePath, template, match.Groups[1].Value.ToUpperInvariant(), handler.Length == 0 ? null : handler, parameters));
            }
        }

        // A page reached by several routes (Email and Email/Index) is tried once, by its shortest: what a handler
        // takes then travels in the query or the form, where a forged value would also arrive.
        return routes.OrderBy(r => r.Template.Length).DistinctBy(r => (r.Page, r.Verb, r.Handler)).ToArray();
    }

    private async Task<World> WorldOfAsync(TestUser user, string title)
    {
        var mailbox = await MailboxWithMailAsync();
        var account = await product.AccountSendingAsAsync(user, mailbox, title);
        await user.Session.SubmitAsync("/Email/Settings/Signatures/Edit", new() { ["Input.Name"] = "Mine", ["Input.Html"] = "<p>Mine</p>" });
        var signature = Guid.Parse((await user.Session.GetAsync("/Email/Settings/General")).Dom.One("#signatures tr[data-signature]").GetAttribute("data-signature")!);
        var compose = Form.Of((await user.Session.GetAsync($"/Email/Compose?account={account}")).Html, "form.compose");
        compose["Input.Subject"] = "Draft of " + title;
        await user.Session.PostAsync(compose, handler: "Save");
        return new World(title, account, title, signature, Composing.MailIdOf(compose), await product.UserIdAsync(user.Login), "",
            new Dictionary<string, AccountUse[]?>(), await OutgoingServerOfAsync(account));
    }

    private async Task<Guid> SignInProviderAsync(UserSession admin)
    {
        var name = "Access provider " + Suffix();
        (await admin.SubmitAsync("/Admin/SignInProviders/Edit", new()
        {
            ["Input.Kind"] = "Google",
            ["Input.Name"] = name,
            ["Input.ClientId"] = "access-client",
            ["Input.ClientSecret"] = "access-secret",
        })).Status.ShouldBe(HttpStatusCode.Redirect);
        await using var session = product.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession();
        return (await Marten.QueryableExtensions.SingleAsync(session.Query<MailAccounts.Domain.SignInProviders.SignInProvider>(), p => p.Name == name, CancellationToken.None)).Id;
    }

    private async Task<Guid> OutgoingServerOfAsync(Guid account)
    {
        await using var session = product.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession();
        return (await session.LoadAsync<Account>(account))!.Outgoing!.ServerId!.Value;
    }

    private async Task<Mailbox> MailboxWithMailAsync()
    {
        var mailbox = await product.NewMailboxAsync();
        var message = new MimeMessage { Subject = "Something private", Date = DateTimeOffset.UtcNow };
        message.From.Add(MailboxAddress.Parse("someone@specs.test"));
        var body = new BodyBuilder { TextBody = "Private" };
        body.Attachments.Add("private.txt", "private"u8.ToArray());
        message.Body = body.ToMessageBody();
        using var client = await product.SignInAsync(mailbox);
        await client.Inbox.AppendAsync(new AppendRequest(message, MessageFlags.None, message.Date));
        return mailbox;
    }

    private static string Suffix() => Guid.NewGuid().ToString("N")[..6];

    [GeneratedRegex(@"\{([^}:?]+)[^}]*\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex("^On(Get|Post)(.*?)(Async)?$")]
    private static partial Regex HandlerMethod();
}
