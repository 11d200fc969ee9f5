using System.Text.Json;
using System.Text.RegularExpressions;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Contacts;
using MailAccounts.Domain.Outgoing;
using MailAccounts.Domain.Sending;
using MailAccounts.Domain.Settings;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Contacts;
using MailAccounts.Infrastructure.Import;
using MailAccounts.Infrastructure.Verification;
using MailAccounts.Infrastructure.Outgoing;
using MailAccounts.Infrastructure.Sending;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.Infrastructure.Users;
using MailAccounts.Specs.Integration.Contacts;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using Wolverine.Runtime.Handlers;

namespace MailAccounts.Specs.Integration.Access;

/// <summary>
/// The handlers behind the pages check for themselves: every message type the host handles (found from Wolverine's
/// handler graph, so a handler added later fails here until it has a row) is invoked on the real host, as pages
/// would send it, by someone naming what is not theirs: another user's account, group account, draft, signature or
/// outgoing server, and, for administrators' commands, by an actor who is not an administrator. Each must be refused
/// with the reason that guards it, and the owner's account, settings, draft, user and server must be as they were.
/// </summary>
/// <remarks>Its own product: on a product without these checks the commands would change what everyone shares.</remarks>
[Collection(SharedSettingsCollection.Name)]
public sealed class when_anyone_sends_a_command_for_what_is_not_theirs(ProductFixture product)
{
    /// <summary>What the world holds: the owner's things, a group account the owner may use, and the stranger's own.</summary>
    private sealed record World(
        Guid Owner, Guid Stranger, Guid Administrator, Account OwnersAccount, Account Group, Guid Signature, Guid Draft, Guid Server,
        Account StrangersAccount, Mailbox StrangersMailbox, Guid OwnersSignIn)
    {
        /// <summary>Imported mail: a letter of the owner's account and of the group account, and a message of each that could not be imported.</summary>
        public Guid OwnersLetter { get; init; }

        public Guid GroupLetter { get; init; }

        public Guid OwnersQuarantined { get; init; }

        public Guid GroupQuarantined { get; init; }

        /// <summary>A contact the owner added: the organisation's, which only an administrator deletes.</summary>
        public Guid Contact { get; init; }
    }

    /// <summary>One way of sending a message; <paramref name="Refusal"/> is the violation it must end in, null for a message that answers nothing.</summary>
    private sealed record Attempt(string Label, object Message, string? Refusal);

    [Fact]
    public async Task every_handled_message_is_refused_for_what_is_not_the_senders_own()
    {
        var world = await WorldAsync();
        var rows = Rows(world);

        var handled = product.Services.GetRequiredService<HandlerGraph>().Chains
            .Select(c => c.MessageType)
            .Where(t => t.Assembly == typeof(SaveAccount).Assembly)
            .ToHashSet();
        handled.ShouldContain(typeof(SaveAccount));
        var failures = new List<string>();
        failures.AddRange(handled.Where(t => !rows.ContainsKey(t)).Select(t => $"{t.Name} is handled but has no row here: say who may send it and try the others"));
        failures.AddRange(rows.Keys.Where(t => !handled.Contains(t)).Select(t => $"{t.Name} has a row but no handler"));

        foreach (var (type, attempts) in rows.Where(r => handled.Contains(r.Key)))
        {
            foreach (var attempt in attempts(world))
            {
                attempt.Message.GetType().ShouldBe(type);
                var label = $"{type.Name} {attempt.Label}";
                var before = await SnapshotAsync(world);
                Outcome? outcome = null;
                try
                {
                    await using var scope = product.Services.CreateAsyncScope();
                    var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
                    if (attempt.Refusal is null)
                    {
                        await bus.InvokeAsync(attempt.Message);
                    }
                    else
                    {
                        outcome = await scope.ServiceProvider.GetRequiredService<Commands>().InvokeAsync(attempt.Message, CancellationToken.None);
                    }
                }
                catch (Exception e)
                {
                    failures.Add($"{label}: threw {e.GetType().Name}: {e.Message}");
                    continue;
                }

                if (attempt.Refusal is { } code && outcome?.Violations.Any(v => v.Code == code) != true)
                {
                    failures.Add($"{label}: expected {code}, got {(outcome is null ? "nothing" : outcome.Succeeded ? "success" : string.Join(", ", outcome.Violations.Select(v => v.Code)))}");
                }

                var after = await SnapshotAsync(world);
                failures.AddRange(before.Where(b => after[b.Key] != b.Value).Select(b => $"{label}: changed {b.Key}"));
            }
        }

        failures.ShouldBeEmpty(string.Join(Environment.NewLine, failures));
    }

    /// <summary>Every message type the product handles, and the ways of sending it that must be refused.</summary>
    private static Dictionary<Type, Func<World, IEnumerable<Attempt>>> Rows(World world)
    {
        var stranger = new Actor(world.Stranger, false);
        var administrator = new Actor(world.Administrator, true);
        var strangersNewAccount = NewAccountOf(world.StrangersMailbox);
        var draft = new DraftForm("someone@specs.test", "", "", "Hello", "<p>Hello</p>", false);
        return new()
        {
            [typeof(SaveAccount)] = w =>
            [
                new("by a stranger on the owner's account", new SaveAccount(stranger, w.OwnersAccount.Id, null, FormOf(w.OwnersAccount), null, null), AccountViolations.Unknown),
                new("by a user on a group account", new SaveAccount(stranger, w.Group.Id, null, FormOf(w.Group), null, null), AccountViolations.Unknown),
                new("by an administrator on an individual account", new SaveAccount(administrator, w.OwnersAccount.Id, null, FormOf(w.OwnersAccount), null, null), AccountViolations.Unknown),
                new("by a stranger sending through the owner's server", new SaveAccount(stranger, null, null, strangersNewAccount with { OutgoingServerId = w.Server }, Password(w), null), AccountViolations.UnknownOutgoingServer),
                new("by a user sending through a group account's server", new SaveAccount(stranger, null, null, strangersNewAccount with { OutgoingServerId = w.Group.Outgoing!.ServerId }, Password(w), null), AccountViolations.UnknownOutgoingServer),
                new("by a stranger attaching the owner's signature", new SaveAccount(stranger, null, null, strangersNewAccount with { SignatureId = w.Signature }, Password(w), null), AccountViolations.UnknownSignature),
                new("by a user adding a group account", new SaveAccount(stranger, null, null, strangersNewAccount with { Kind = AccountKind.Group }, Password(w), null), AccountViolations.Unknown),
                new("by a stranger saving a sign-in whose tokens are not theirs", new SaveAccount(stranger, null, null, strangersNewAccount with { Grant = new OAuthGrant(Guid.CreateVersion7(), w.StrangersMailbox.Address, "openid", Guid.CreateVersion7()) }, null, null), AccountViolations.Unknown),
            ],
            [typeof(DeleteAccount)] = w =>
            [
                new("by a stranger", new DeleteAccount(stranger, w.OwnersAccount.Id), AccountViolations.Unknown),
                new("by a user of a group account", new DeleteAccount(stranger, w.Group.Id), AccountViolations.Unknown),
                new("by an administrator of an individual account", new DeleteAccount(administrator, w.OwnersAccount.Id), AccountViolations.Unknown),
            ],
            [typeof(GrantAccess)] = w =>
            [
                new("by a user", new GrantAccess(stranger, w.Group.Id, w.Stranger), AccountViolations.Unknown),
                new("of an individual account", new GrantAccess(administrator, w.OwnersAccount.Id, w.Stranger), AccountViolations.NotGroup),
            ],
            [typeof(RevokeAccess)] = w => [new("by a user", new RevokeAccess(stranger, w.Group.Id, w.Owner), AccountViolations.Unknown)],
            [typeof(DeactivateAccount)] = w =>
            [
                new("by a user of an individual account", new DeactivateAccount(stranger, w.OwnersAccount.Id, "Mine now"), AccountViolations.Unknown),
                new("by a user of a group account", new DeactivateAccount(stranger, w.Group.Id, "Mine now"), AccountViolations.Unknown),
            ],
            [typeof(ReactivateAccount)] = w => [new("by a user", new ReactivateAccount(stranger, w.OwnersAccount.Id), AccountViolations.Unknown)],
            // Their own sign-in is in when_reconnecting_an_account; here, a token set the stranger does not hold.
            [typeof(ReconnectAccount)] = w =>
            [
                new("by a stranger", new ReconnectAccount(stranger, w.OwnersAccount.Id, new OAuthGrant(Guid.CreateVersion7(), w.OwnersAccount.Address, "openid", Guid.CreateVersion7())), AccountViolations.Unknown),
                new("by a user of a group account", new ReconnectAccount(stranger, w.Group.Id, new OAuthGrant(Guid.CreateVersion7(), w.Group.Address, "openid", Guid.CreateVersion7())), AccountViolations.Unknown),
            ],
            [typeof(TestIncomingSettings)] = w =>
            [
                new("by a stranger", new TestIncomingSettings(stranger, w.OwnersAccount.Id, FormOf(w.OwnersAccount), null, []), AccountViolations.Unknown),
                new("by a user of a group account", new TestIncomingSettings(stranger, w.Group.Id, FormOf(w.Group), null, []), AccountViolations.Unknown),
                new("by an administrator of an individual account", new TestIncomingSettings(administrator, w.OwnersAccount.Id, FormOf(w.OwnersAccount), null, []), AccountViolations.Unknown),
            ],
            [typeof(ListServerFolders)] = w =>
            [
                new("by a stranger", new ListServerFolders(stranger, w.OwnersAccount.Id, FormOf(w.OwnersAccount), null, []), AccountViolations.Unknown),
                new("by a user of a group account", new ListServerFolders(stranger, w.Group.Id, FormOf(w.Group), null, []), AccountViolations.Unknown),
                new("by an administrator of an individual account", new ListServerFolders(administrator, w.OwnersAccount.Id, FormOf(w.OwnersAccount), null, []), AccountViolations.Unknown),
            ],
            [typeof(SendTestEmail)] = w =>
            [
                new("by a stranger", new SendTestEmail(stranger, w.OwnersAccount.Id, FormOf(w.OwnersAccount), null, [], w.StrangersMailbox.Address, Wording), AccountViolations.Unknown),
                new("by a user of a group account", new SendTestEmail(stranger, w.Group.Id, FormOf(w.Group), null, [], w.StrangersMailbox.Address, Wording), AccountViolations.Unknown),
                new("by an administrator of an individual account", new SendTestEmail(administrator, w.OwnersAccount.Id, FormOf(w.OwnersAccount), null, [], w.StrangersMailbox.Address, Wording), AccountViolations.Unknown),
            ],
            [typeof(ChooseVisibleFolders)] = w =>
            [
                new("by a stranger", new ChooseVisibleFolders(stranger, w.OwnersAccount.Id, ["INBOX"], ["INBOX"]), AccountViolations.Unknown),
                new("by a user of a group account not granted", new ChooseVisibleFolders(stranger, w.Group.Id, ["INBOX"], ["INBOX"]), AccountViolations.Unknown),
                new("by an administrator of an individual account", new ChooseVisibleFolders(administrator, w.OwnersAccount.Id, ["INBOX"], ["INBOX"]), AccountViolations.Unknown),
            ],
            [typeof(ImportMessages)] = w =>
            [
                new("by a stranger from the owner's account", new ImportMessages(stranger, w.OwnersAccount.Id, "INBOX", [1]), AccountViolations.Unknown),
                new("by a user from a group account not granted", new ImportMessages(stranger, w.Group.Id, "INBOX", [1]), AccountViolations.Unknown),
                new("by an administrator from an individual account", new ImportMessages(administrator, w.OwnersAccount.Id, "INBOX", [1]), AccountViolations.Unknown),
            ],
            // Queued by the checks for accounts that import, and by ImportMessages after its check: the owner's account does
            // not import, so naming it imports nothing.
            [typeof(ImportAccount)] = w => [new("of an account that does not import, named by a stranger", new ImportAccount(w.OwnersAccount.Id, w.Stranger), null)],
            // Queued by ImportMessages alone, once the user may use the account; naming no UID imports nothing.
            [typeof(ImportUids)] = w => [new("of no message", new ImportUids(w.OwnersAccount.Id, "INBOX", [], w.Stranger), null)],
            // Queued by the checks for each account checked: reading for bounces changes no account, letter or setting, and a
            // bounce counts only for mail the system sent, whoever names the account.
            [typeof(ScanForBounces)] = w => [new("of the owner's account, named by a stranger", new ScanForBounces(w.OwnersAccount.Id), null)],
            [typeof(DeleteLetter)] = w =>
            [
                new("by a stranger of the owner's letter", new DeleteLetter(stranger, w.OwnersLetter), DeleteLetterHandler.Unknown),
                new("by a user of a group account's letter not granted", new DeleteLetter(stranger, w.GroupLetter), DeleteLetterHandler.Unknown),
                new("by an administrator of an individual account's letter", new DeleteLetter(administrator, w.OwnersLetter), DeleteLetterHandler.Unknown),
            ],
            [typeof(RetryQuarantined)] = w =>
            [
                new("by a stranger of the owner's message", new RetryQuarantined(stranger, w.OwnersQuarantined), RetryQuarantinedHandler.Unknown),
                new("by a user of a group account's message not granted", new RetryQuarantined(stranger, w.GroupQuarantined), RetryQuarantinedHandler.Unknown),
                new("by an administrator of an individual account's message", new RetryQuarantined(administrator, w.OwnersQuarantined), RetryQuarantinedHandler.Unknown),
            ],
            [typeof(SaveSignature)] = w => [new("by a stranger", new SaveSignature(w.Stranger, w.Signature, "Mine now", "<p>Mine</p>"), SettingsViolations.SignatureUnknown)],
            [typeof(DeleteSignature)] = w => [new("by a stranger", new DeleteSignature(w.Stranger, w.Signature), SettingsViolations.SignatureUnknown)],
            [typeof(SaveGeneralSettings)] = w =>
            [
                new("choosing the owner's signature as the default", new SaveGeneralSettings(w.Stranger, new GeneralSettingsForm(0, false, "utf-8", w.Signature, false, 50)), SettingsViolations.SignatureUnknown),
            ],
            [typeof(SendMail)] = w =>
            [
                new("by a stranger of the owner's draft", new SendMail(stranger, w.Draft, w.StrangersAccount.Id, draft, null, [], [], true), SendingViolations.Unknown),
                new("by a stranger saving over the owner's draft", new SendMail(stranger, w.Draft, w.StrangersAccount.Id, draft, null, [], [], false), SendingViolations.Unknown),
                new("by a stranger from the owner's account", new SendMail(stranger, Guid.CreateVersion7(), w.OwnersAccount.Id, draft, null, [], [], true), SendingViolations.AccountCannotSend),
                new("by a user from a group account not granted", new SendMail(stranger, Guid.CreateVersion7(), w.Group.Id, draft, null, [], [], true), SendingViolations.AccountCannotSend),
                new("by an administrator from an individual account", new SendMail(administrator, Guid.CreateVersion7(), w.OwnersAccount.Id, draft, null, [], [], true), SendingViolations.AccountCannotSend),
            ],
            [typeof(DiscardMail)] = w => [new("by a stranger", new DiscardMail(w.Stranger, w.Draft), SendingViolations.AlreadySent)],
            [typeof(UndoSend)] = w => [new("by a stranger of the owner's message", new UndoSend(w.Stranger, w.Draft), SendingViolations.Unknown)],
            // Queued by SendMail only, after its checks; naming a draft that was never queued sends nothing.
            [typeof(DeliverMail)] = w => [new("of a draft nobody queued", new DeliverMail(w.Draft, 1), null)],
            // Queued by delivery only, once the mail was accepted; naming a draft files nothing.
            [typeof(FileSentCopy)] = w => [new("of a draft nobody sent", new FileSentCopy(w.Draft, 1), null)],
            // Started by the sign-in page once the password was verified, for the user it verified.
            [typeof(StartSession)] = w => [new("for the stranger", new StartSession(Guid.CreateVersion7(), w.Stranger, TimeSpan.FromHours(12)), null)],
            [typeof(EndSession)] = w => [new("by a stranger naming the owner's sign-in", new EndSession(w.OwnersSignIn, w.Stranger), null)],
            // These name only the user they act for, whom the page takes from the session: the stranger's check
            // must not touch what is the owner's.
            [typeof(CheckMailNow)] = w =>
            [
                new("for the stranger", new CheckMailNow(w.Stranger), null),
                new("for the stranger naming the owner's account", new CheckMailNow(w.Stranger, w.OwnersAccount.Id), null),
            ],
            // These two name only the user they act for (the page takes it from the session), and no owner's thing: the
            // stranger's attempt that changes nothing must leave everything as it was.
            [typeof(ChooseTimeZone)] = w => [new("for the stranger, as chosen already", new ChooseTimeZone(w.Stranger, null), null)],
            [typeof(ChooseUndoSendDelay)] = w => [new("for the stranger, a wait not offered", new ChooseUndoSendDelay(w.Stranger, 7), ChoosingUndoSendDelay.DelayInvalid)],
            [typeof(CheckMail)] = w => [new("for the stranger", new CheckMail(w.Stranger, 5, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow), null)],
            [typeof(RegisterUser)] = w =>
            [
                new("by a user", new RegisterUser(w.Stranger, Support.Users.UniqueLogin("intruder"), "Intruder", UserRole.Administrator, new Secret("intruder-password")), UserViolations.NotAdministrator),
            ],
            [typeof(ResetUserPassword)] = w => [new("by a user", new ResetUserPassword(w.Stranger, w.Owner, new Secret("taken-over-password")), UserViolations.NotAdministrator)],
            [typeof(SetUserActive)] = w =>
            [
                new("by a user", new SetUserActive(w.Stranger, w.Owner, false), UserViolations.NotAdministrator),
                new("by a user on themselves", new SetUserActive(w.Stranger, w.Stranger, true), UserViolations.NotAdministrator),
            ],
            [typeof(DeleteContact)] = w =>
            [
                new("by a user who is not an administrator", new DeleteContact(stranger, w.Contact), ContactViolations.AdministratorsOnly),
                new("of a contact that does not exist", new DeleteContact(administrator, Guid.NewGuid()), ContactViolations.Unknown),
            ],
            [typeof(SaveContact)] = w =>
            [
                new("of a contact that does not exist", new SaveContact(stranger, Guid.NewGuid(), null, new ContactForm("Ghost", "", "", ["ghost@example.com"])), ContactViolations.Unknown),
            ],
            [typeof(MarkAddressValid)] = w =>
            [
                new("of an address the contact does not hold", new MarkAddressValid(stranger, w.Contact, "elsewhere@example.com"), ContactViolations.Unknown),
                new("of a contact that does not exist", new MarkAddressValid(stranger, Guid.NewGuid(), "elsewhere@example.com"), ContactViolations.Unknown),
            ],
            [typeof(ImportContacts)] = w =>
            [
                new("with lines the file no longer has", new ImportContacts(stranger, "a.csv", "Name,Email\nGhost,ghost-import@example.com\n"u8.ToArray(), [7]), ImportContactsHandler.Changed),
            ],
            [typeof(ConfigureSystemOutgoingServer)] = w =>
            [
                new("by a user", new ConfigureSystemOutgoingServer(w.Stranger, new OutgoingServerFields(
                    OutgoingServerKind.Other, "smtp.intruder.example", 587, TransportSecurity.StartTls, true, "intruder", new Secret("intruder-password"))), UserViolations.NotAdministrator),
            ],
            [typeof(MailAccounts.Infrastructure.SignInProviders.ConfigureSignInProvider)] = w =>
            [
                new("by a user", new MailAccounts.Infrastructure.SignInProviders.ConfigureSignInProvider(w.Stranger, Guid.CreateVersion7(),
                    MailAccounts.Domain.SignInProviders.SignInProviderKind.Generic, "Intruder", "intruder", new Secret("intruder-secret"), null,
                    "https://sso.intruder.example/auth", "https://sso.intruder.example/token", "openid"), UserViolations.NotAdministrator),
            ],
        };
    }

    private static readonly TestEmailWording Wording = new("Test", "A test.", "in UTF-8 ({0})");

    private static Secret Password(World world) => new(world.StrangersMailbox.Password);

    private static AccountForm FormOf(Account account) => new(
        Title: account.Title, Name: account.Name, Address: account.Address, Protocol: account.Incoming!.Protocol, Host: account.Incoming.Host,
        Port: account.Incoming.Port, Security: account.Incoming.Security, Login: account.Incoming.Login, MonitoredFolders: account.MonitoredFolders,
        TrashFolder: account.TrashFolder, SentFolder: account.SentFolder, OutgoingName: account.Outgoing!.Name, OutgoingAddress: account.Outgoing.Address,
        ForwardTo: account.Outgoing.ForwardTo, OutgoingServerId: account.Outgoing.ServerId, SignatureId: account.SignatureId, Kind: account.Kind);

    private static AccountForm NewAccountOf(Mailbox mailbox) => new(
        Title: "Another " + Guid.NewGuid().ToString("N")[..6], Name: "Stranger", Address: mailbox.Address, Protocol: IncomingProtocol.Imap,
        Host: "imap.specs.example", Port: 993, Security: TransportSecurity.SslOnConnect, Login: mailbox.Address, MonitoredFolders: ["INBOX"]);

    /// <summary>What must stay as it was: the owner's and the group's streams, the draft, the users and their passwords, the stranger's accounts.</summary>
    private async Task<Dictionary<string, string>> SnapshotAsync(World world)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var snapshot = new Dictionary<string, string>();
        foreach (var (name, stream) in new[]
                 {
                     ("the owner's account", world.OwnersAccount.Id), ("the group account", world.Group.Id),
                     ("the owner's settings", MailSettings.StreamFor(world.Owner)), ("the stranger's settings", MailSettings.StreamFor(world.Stranger)),
                     ("the owner's user", world.Owner), ("the stranger's user", world.Stranger),
                     ("the owner's outgoing server", world.Server), ("the system outgoing server", OutgoingServer.SystemDefaultId),
                     ("the owner's imported letter", world.OwnersLetter), ("the group's imported letter", world.GroupLetter),
                     ("the owner's message that could not be imported", world.OwnersQuarantined),
                     ("the group's message that could not be imported", world.GroupQuarantined),
                     ("the owner's contact", world.Contact),
                 })
        {
            snapshot[name] = (await session.Events.FetchStreamStateAsync(stream))?.Version.ToString() ?? "none";
        }

        snapshot["the owner's draft"] = JsonSerializer.Serialize(await session.LoadAsync<OutgoingMail>(world.Draft));
        snapshot["the owner's password"] = (await session.LoadAsync<UserCredentials>(world.Owner))?.PasswordHash ?? "none";
        snapshot["the users"] = (await session.Query<User>().CountAsync()).ToString();
        snapshot["the stranger's accounts"] = (await session.Query<Account>().CountAsync(a => a.OwnerId == world.Stranger && !a.Deleted)).ToString();
        snapshot["the owner's sign-ins"] = (await session.Query<SignInSession>().CountAsync(s => s.UserId == world.Owner)).ToString();
        snapshot["the contacts"] = (await session.Query<MailAccounts.Domain.Contacts.Contact>().CountAsync(c => !c.Deleted)).ToString();
        snapshot["the stranger's drafts"] = (await session.Query<OutgoingMail>().CountAsync(m => m.UserId == world.Stranger)).ToString();
        return snapshot;
    }

    private async Task<World> WorldAsync()
    {
        using var admin = await product.AdministratorAsync();
        using var owner = await product.NewUserAsync();
        using var stranger = await product.NewUserAsync();
        var ownersAccount = await product.AccountSendingAsAsync(owner, await product.NewMailboxAsync(), "Owner " + Suffix());
        var strangersMailbox = await product.NewMailboxAsync();
        var strangersAccount = await product.AccountSendingAsAsync(stranger, strangersMailbox, "Stranger " + Suffix());
        var group = await product.GroupAccountAsync(admin, await product.NewMailboxAsync(), "Shared " + Suffix());
        await product.GrantAsync(admin, group, owner.Login);

        await owner.Session.SubmitAsync("/Email/Settings/Signatures/Edit", new() { ["Input.Name"] = "Mine", ["Input.Html"] = "<p>Mine</p>" });
        var signature = Guid.Parse((await owner.Session.GetAsync("/Email/Settings/General")).Dom.One("#signatures tr[data-signature]").GetAttribute("data-signature")!);
        var compose = Form.Of((await owner.Session.GetAsync($"/Email/Compose?account={ownersAccount}")).Html, "form.compose");
        compose["Input.Subject"] = "The owner's draft";
        await owner.Session.PostAsync(compose, handler: "Save");

        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var ownersAccountView = (await session.LoadAsync<Account>(ownersAccount))!;
        var draft = Composing.MailIdOf(compose);
        (await session.LoadAsync<OutgoingMail>(draft)).ShouldNotBeNull().Status.ShouldBe(OutgoingMailStatus.Draft);
        var ownerId = await product.UserIdAsync(owner.Login);
        var ownersSignIn = (await session.Query<SignInSession>().FirstAsync(s => s.UserId == ownerId)).Id;
        return new World(
            ownerId, await product.UserIdAsync(stranger.Login), await product.UserIdAsync("admin"),
            ownersAccountView, (await session.LoadAsync<Account>(group))!, signature, draft, ownersAccountView.Outgoing!.ServerId!.Value,
            (await session.LoadAsync<Account>(strangersAccount))!, strangersMailbox, ownersSignIn)
        {
            OwnersLetter = await product.ImportLetterAsync(ownersAccount, ImportedLetters.Message("The owner's letter")),
            GroupLetter = await product.ImportLetterAsync(group, ImportedLetters.Message("The group's letter")),
            OwnersQuarantined = await product.QuarantineMessageAsync(ownersAccount, "broken"),
            GroupQuarantined = await product.QuarantineMessageAsync(group, "broken"),
            Contact = await owner.Session.AddContactAsync("Owner's contact " + Suffix(), "", $"contact-{Suffix()}@example.com"),
        };
    }

    private static string Suffix() => Guid.NewGuid().ToString("N")[..6];
}
