using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Mail.Mailboxes;
using MailAccounts.Specs.Support;
using MailKit;
using MailKit.Net.Imap;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace MailAccounts.Specs.Integration.Mailboxes;

/// <summary>
/// The mailbox port on the private Dovecot, as import, bounce processing and search will use it: batches by UID range,
/// folder state, changes since a mod-sequence (Dovecot has CONDSTORE and QRESYNC), server-side search, and POP3's UIDL
/// set. Reading never marks mail read.
/// </summary>
[Collection(MailboxCollection.Name)]
public sealed class when_a_mailbox_is_read_through_the_port(ProductFixture product)
{
    private MailSessions Sessions => product.Services.GetRequiredService<MailSessions>();

    private static MimeMessage Message(string subject)
    {
        var message = new MimeMessage { Subject = subject, Date = DateTimeOffset.UtcNow };
        message.From.Add(MailboxAddress.Parse("boris@specs.test"));
        message.To.Add(MailboxAddress.Parse("anna@specs.test"));
        message.Body = new TextPart("plain") { Text = "Hello " + subject };
        return message;
    }

    /// <summary>An account (never saved: the port needs only its settings) over a new mailbox holding the subjects, unread.</summary>
    private async Task<(Account Account, Mailbox Mailbox)> MailboxWithAsync(IncomingProtocol protocol, params string[] subjects)
    {
        var mailbox = await product.NewMailboxAsync();
        using (var client = await product.SignInAsync(mailbox))
        {
            foreach (var subject in subjects)
            {
                await client.Inbox.AppendAsync(new AppendRequest(Message(subject), MessageFlags.None));
            }
        }

        var endpoints = product.MailServer.Endpoints;
        var port = protocol == IncomingProtocol.Imap ? endpoints.Imaps : endpoints.Pop3s;
        var account = new Account(
            Guid.CreateVersion7(), Guid.CreateVersion7(), AccountKind.Individual, "Port", "Port", mailbox.Address,
            new IncomingSettings(protocol, endpoints.Host, port, TransportSecurity.SslOnConnect, mailbox.Address, Guid.CreateVersion7()),
            null, Account.DefaultFolders, null, null, [], false);
        return (account, mailbox);
    }

    private async Task<T> OnImapAsync<T>(Account account, Mailbox mailbox, Func<IImapMailbox, Task<T>> work)
    {
        var done = await Sessions.UseAsync(account, _ => Task.FromResult<string?>(mailbox.Password),
            m => m.Match(work, _ => throw new InvalidOperationException("an IMAP account")), CancellationToken.None);
        done.Problem.ShouldBeNull();
        return done.Value!;
    }

    private async Task<IReadOnlyList<(uint Uid, MessageFlags Flags)>> FlagsOnServerAsync(Mailbox mailbox)
    {
        using var client = await product.SignInAsync(mailbox);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var summaries = await client.Inbox.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Flags);
        return [.. summaries.Select(s => (s.UniqueId.Id, s.Flags ?? MessageFlags.None))];
    }

    [Fact]
    public async Task batches_by_uid_range_return_every_message_once_and_leave_it_unread()
    {
        var (account, mailbox) = await MailboxWithAsync(IncomingProtocol.Imap, "One", "Two", "Three", "Four", "Five");

        var batches = await OnImapAsync(account, mailbox, async imap =>
        {
            var all = new List<IReadOnlyList<FetchedMessage>>();
            await foreach (var batch in imap.FetchAsync("INBOX", 1, uint.MaxValue, FetchParts.Full, 2, CancellationToken.None))
            {
                all.Add(batch);
            }

            return all;
        });

        batches.Select(b => b.Count).ShouldBe([2, 2, 1]);
        var messages = batches.SelectMany(b => b).ToArray();
        messages.Select(m => m.Uid).ShouldBeUnique();
        messages.Select(m => m.Message!.Subject).ShouldBe(["One", "Two", "Three", "Four", "Five"]);
        messages.ShouldAllBe(m => m.Headers != null && m.Size > 0 && m.InternalDate != null && !m.Seen);
        (await FlagsOnServerAsync(mailbox)).ShouldAllBe(m => !m.Flags.HasFlag(MessageFlags.Seen));
    }

    [Fact]
    public async Task a_uid_range_brings_only_the_messages_inside_it_and_headers_alone_when_asked()
    {
        var (account, mailbox) = await MailboxWithAsync(IncomingProtocol.Imap, "One", "Two", "Three", "Four");
        var uids = (await FlagsOnServerAsync(mailbox)).Select(m => m.Uid).Order().ToArray();

        var fetched = await OnImapAsync(account, mailbox, async imap =>
        {
            var all = new List<FetchedMessage>();
            await foreach (var batch in imap.FetchAsync("INBOX", uids[1], uids[2], FetchParts.Headers, 10, CancellationToken.None))
            {
                all.AddRange(batch);
            }

            return all;
        });

        fetched.Select(m => m.Uid).ShouldBe([uids[1], uids[2]]);
        fetched.Select(m => m.Headers![HeaderId.Subject]).ShouldBe(["Two", "Three"]);
        fetched.ShouldAllBe(m => m.Message == null);
        (await FlagsOnServerAsync(mailbox)).ShouldAllBe(m => !m.Flags.HasFlag(MessageFlags.Seen));
    }

    [Fact]
    public async Task the_folder_state_moves_when_mail_arrives()
    {
        var (account, mailbox) = await MailboxWithAsync(IncomingProtocol.Imap, "Before");
        var before = await OnImapAsync(account, mailbox, imap => imap.StateAsync("INBOX", CancellationToken.None));

        await product.DeliverAsync(mailbox, [Message("Arrived")]);
        var after = await OnImapAsync(account, mailbox, imap => imap.StateAsync("INBOX", CancellationToken.None));

        before.UidValidity.ShouldBeGreaterThan(0u);
        after.UidValidity.ShouldBe(before.UidValidity);
        before.HighestModSeq.ShouldNotBeNull();
        after.UidNext!.Value.ShouldBeGreaterThan(before.UidNext!.Value);
        after.HighestModSeq!.Value.ShouldBeGreaterThan(before.HighestModSeq!.Value);
        after.Count.ShouldBe(before.Count + 1);
    }

    [Fact]
    public async Task changes_since_a_mod_sequence_name_a_changed_flag_and_an_expunged_uid()
    {
        var (account, mailbox) = await MailboxWithAsync(IncomingProtocol.Imap, "Kept", "Flagged", "Expunged");
        var uids = (await FlagsOnServerAsync(mailbox)).Select(m => m.Uid).Order().ToArray();
        var state = await OnImapAsync(account, mailbox, imap => imap.StateAsync("INBOX", CancellationToken.None));

        using (var client = await product.SignInAsync(mailbox))
        {
            await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
            await client.Inbox.AddFlagsAsync(new UniqueId(uids[1]), MessageFlags.Flagged, true);
            await client.Inbox.AddFlagsAsync(new UniqueId(uids[2]), MessageFlags.Deleted, true);
            await client.Inbox.ExpungeAsync();
        }

        var changes = await OnImapAsync(account, mailbox,
            imap => imap.ChangesSinceAsync("INBOX", state.UidValidity, state.HighestModSeq!.Value, CancellationToken.None));

        changes.Support.ShouldBe(ChangeSupport.FlagsAndVanished);
        changes.Changed.ShouldContain(m => m.Uid == uids[1] && m.Flagged);
        changes.Changed.ShouldNotContain(m => m.Uid == uids[0]);
        changes.Vanished.ShouldBe([uids[2]]);
        changes.State.HighestModSeq!.Value.ShouldBeGreaterThan(state.HighestModSeq!.Value);
    }

    [Fact]
    public async Task changes_for_a_folder_with_another_uidvalidity_say_to_read_it_again()
    {
        var (account, mailbox) = await MailboxWithAsync(IncomingProtocol.Imap, "One");
        var state = await OnImapAsync(account, mailbox, imap => imap.StateAsync("INBOX", CancellationToken.None));

        var changes = await OnImapAsync(account, mailbox,
            imap => imap.ChangesSinceAsync("INBOX", state.UidValidity + 1, state.HighestModSeq!.Value, CancellationToken.None));

        changes.Support.ShouldBe(ChangeSupport.UidValidityChanged);
        changes.Changed.ShouldBeEmpty();
    }

    [Fact]
    public async Task uid_search_on_the_server_finds_a_cyrillic_subject_word()
    {
        var (account, mailbox) = await MailboxWithAsync(IncomingProtocol.Imap, "Отчёт за квартал", "Quarterly report", "Счёт за месяц");
        var uids = (await FlagsOnServerAsync(mailbox)).Select(m => m.Uid).Order().ToArray();

        var found = await OnImapAsync(account, mailbox, imap => imap.SearchAsync("INBOX", new MailSearch(Subject: "квартал"), CancellationToken.None));
        var none = await OnImapAsync(account, mailbox, imap => imap.SearchAsync("INBOX", new MailSearch(Subject: "недели"), CancellationToken.None));

        found.ShouldBe([uids[0]]);
        none.ShouldBeEmpty();
    }

    [Fact]
    public async Task the_pop3_mailbox_gives_its_uidl_set_and_the_headers_of_a_message()
    {
        var (account, mailbox) = await MailboxWithAsync(IncomingProtocol.Pop3, "First", "Second");

        var done = await Sessions.UseAsync(account, _ => Task.FromResult<string?>(mailbox.Password), m => m.Match(
            _ => throw new InvalidOperationException("a POP3 account"),
            async pop3 =>
            {
                var uids = await pop3.UidsAsync(CancellationToken.None);
                var subjects = new List<string>();
                foreach (var uid in uids)
                {
                    subjects.Add((await pop3.HeadersAsync(uid, CancellationToken.None))![HeaderId.Subject] ?? "");
                }

                return (uids, subjects, missing: await pop3.HeadersAsync("no-such-uidl", CancellationToken.None));
            }), CancellationToken.None);

        done.Problem.ShouldBeNull();
        done.Value.uids.Count.ShouldBe(2);
        done.Value.uids.ShouldBeUnique();
        done.Value.subjects.ShouldBe(["First", "Second"]);
        done.Value.missing.ShouldBeNull();
    }
}
