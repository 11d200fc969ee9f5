using System.Net;
using System.Text;
using Marten;
using Marten.Linq.MatchesSql;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Import;
using MailAccounts.Infrastructure.Import;
using MailKit;
using MailKit.Net.Imap;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace MailAccounts.Specs.Support;

/// <summary>A user with an account on a mailbox of the private Dovecot, for the import specs.</summary>
public sealed record ImportingAccount(TestUser User, Guid UserId, Guid AccountId, Mailbox Mailbox) : IDisposable
{
    public Actor Actor => new(UserId, false);

    public void Dispose() => User.Dispose();
}

public static class Importing
{
    /// <summary>A new user and a new mailbox, connected through the account form, with import set as given (on, all mail, by default).</summary>
    public static async Task<ImportingAccount> ImportingAccountAsync(
        this ProductFixture product, string protocol = "Imap", bool on = true, DateOnly? since = null, IReadOnlyList<string>? folders = null,
        Mailbox? mailbox = null, TestUser? user = null)
    {
        user ??= await product.NewUserAsync();
        mailbox ??= await product.NewMailboxAsync();
        var title = "Import " + Guid.NewGuid().ToString("N")[..6];
        var saved = await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, mailbox, protocol, title: title));
        saved.Status.ShouldBe(HttpStatusCode.Redirect, saved.Html);
        var userId = await product.UserIdAsync(user.Login);
        var account = (await product.AccountsOfAsync(userId)).Single(a => a.Title == title);
        if (on)
        {
            await product.ChooseImportAsync(account.Id, userId, true, since, folders);
        }

        return new ImportingAccount(user, userId, account.Id, mailbox);
    }

    /// <summary>Records the import choice on the account's stream, as the account form's decision does.</summary>
    public static async Task ChooseImportAsync(this ProductFixture product, Guid accountId, Guid by, bool on, DateOnly? since, IReadOnlyList<string>? folders = null)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Events.Append(accountId, new ImportChosen(accountId, on, folders, since, by, DateTimeOffset.UtcNow));
        await session.SaveChangesAsync();
    }

    /// <summary>An engine over the product's store and mail sessions, with import options and a time slice of its own.</summary>
    public static ImportEngine Engine(this ProductFixture product, ImportOptions options, TimeSpan? slice = null) =>
        new(product.Services.GetRequiredService<IDocumentStore>(), product.Services.GetRequiredService<MailAccounts.Infrastructure.Mail.Mailboxes.MailSessions>(),
            new LetterIntake(options, product.Services.GetRequiredService<MailAccounts.Infrastructure.Mail.MailOptions>()), options, TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ImportEngine>.Instance) { Slice = slice ?? TimeSpan.FromSeconds(40) };

    /// <summary>Runs the product's import of the account to its end, slice after slice, as the queue would; the runs' results.</summary>
    public static async Task<IReadOnlyList<ImportResult>> ImportAsync(this ProductFixture product, Guid accountId, ImportEngine? engine = null)
    {
        engine ??= product.Services.GetRequiredService<ImportEngine>();
        var results = new List<ImportResult>();
        var continues = false;
        do
        {
            var result = await engine.ImportAccountAsync(accountId, MailAccounts.Domain.Common.Actors.System, CancellationToken.None, continues);
            result.Problem.ShouldBeNull();
            result.Busy.ShouldBeFalse();
            results.Add(result);
            continues = result.More;
        }
        while (continues);

        return results;
    }

    /// <summary>The letters in the system with a place in the account, deleted ones too.</summary>
    public static async Task<IReadOnlyList<Letter>> LettersAsync(this ProductFixture product, Guid accountId)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        string[] ids = [accountId.ToString()];
        return await session.Query<Letter>().Where(l => l.MatchesSql("jsonb_exists_any(d.data -> 'AccountIds', ?)", new object[] { ids })).ToListAsync();
    }

    public static async Task<IReadOnlyList<QuarantinedMessage>> QuarantinedAsync(this ProductFixture product, Guid accountId)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Query<QuarantinedMessage>().Where(q => q.Place.AccountId == accountId).ToListAsync();
    }

    /// <summary>The raw message the system keeps for the letter, as it was read from the server.</summary>
    public static async Task<byte[]> StoredRawAsync(this ProductFixture product, Letter letter)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        await using var raw = (await ImportedMail.RawAsync(session, letter, CancellationToken.None)).ShouldNotBeNull();
        using var bytes = new MemoryStream();
        await raw.CopyToAsync(bytes);
        return bytes.ToArray();
    }

    /// <summary>A plain message with its own Message-ID.</summary>
    public static MimeMessage Message(string subject, string? messageId = null, string body = "Hello", DateTimeOffset? date = null)
    {
        var message = new MimeMessage { Subject = subject, Date = date ?? DateTimeOffset.UtcNow, MessageId = messageId ?? MimeKit.Utils.MimeUtils.GenerateMessageId("specs.test") };
        message.From.Add(new MailboxAddress("Boris Petrov", "boris@specs.test"));
        message.To.Add(new MailboxAddress("Anna", "anna@specs.test"));
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }

    /// <summary>A plain message from <paramref name="from"/> to <paramref name="to"/> (and copied to <paramref name="cc"/>), as a contact's correspondence holds them.</summary>
    public static MimeMessage Between(string subject, string from, string to, string body, DateTimeOffset date, string? cc = null)
    {
        var message = Message(subject, body: body, date: date);
        message.From.Clear();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Clear();
        message.To.Add(MailboxAddress.Parse(to));
        if (cc is not null)
        {
            message.Cc.Add(MailboxAddress.Parse(cc));
        }

        return message;
    }

    /// <summary>
    /// Appends the messages to a folder of the mailbox (created when missing) as another mail program would, with the
    /// flags and arrival times given; the UIDs the server gave them.
    /// </summary>
    public static async Task<IReadOnlyList<uint>> AppendAsync(
        this ProductFixture product, Mailbox mailbox, string folder, IReadOnlyList<MimeMessage> messages, MessageFlags flags = MessageFlags.None,
        DateTimeOffset? arrived = null)
    {
        using var client = await product.SignInAsync(mailbox);
        var target = await FolderAsync(client, folder);
        var uids = new List<uint>();
        foreach (var message in messages)
        {
            var uid = await target.AppendAsync(message, flags, arrived ?? DateTimeOffset.UtcNow);
            uids.Add(uid.ShouldNotBeNull().Id);
        }

        await client.DisconnectAsync(true);
        return uids;
    }

    /// <summary>
    /// Writes raw messages straight into the mailbox's Maildir folder (the inbox, or a folder under it), byte for byte
    /// as given, as a delivery agent would: what no mail program would send (a broken message) reaches the server too.
    /// </summary>
    public static async Task WriteRawAsync(this ProductFixture product, Mailbox mailbox, string folder, IEnumerable<byte[]> raws)
    {
        // Dovecot makes the mailbox's folders on the first sign-in; a folder other than the inbox is created over IMAP.
        using (var client = await product.SignInAsync(mailbox))
        {
            await FolderAsync(client, folder);
            await client.DisconnectAsync(true);
        }

        var maildir = Path.Combine(product.MailServer.MailboxFolder(mailbox.Address), "Maildir");
        var target = Path.Combine(folder == "INBOX" ? maildir : Path.Combine(maildir, "." + folder), "new");
        Directory.CreateDirectory(target);
        var number = 0;
        foreach (var raw in raws)
        {
            await File.WriteAllBytesAsync(Path.Combine(target, $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.M{number++}P{Environment.ProcessId}.specs"), raw);
        }

        await product.MailServer.AdoptAsync(product.MailServer.MailboxFolder(mailbox.Address));
    }

    /// <summary>What the server holds in a folder: every message's UID, flags and raw bytes (BODY.PEEK[]).</summary>
    public static async Task<IReadOnlyDictionary<uint, (MessageFlags Flags, byte[] Raw)>> ServerCopyAsync(this ProductFixture product, Mailbox mailbox, string folder)
    {
        using var client = await product.SignInAsync(mailbox);
        var target = await client.GetFolderAsync(folder);
        await target.OpenAsync(FolderAccess.ReadOnly);
        var copy = new Dictionary<uint, (MessageFlags, byte[])>();
        var summaries = await target.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Flags);
        foreach (var summary in summaries)
        {
            using var stream = await target.GetStreamAsync(summary.UniqueId, "");
            using var bytes = new MemoryStream();
            await stream.CopyToAsync(bytes);
            copy[summary.UniqueId.Id] = (summary.Flags ?? MessageFlags.None, bytes.ToArray());
        }

        await client.DisconnectAsync(true);
        return copy;
    }

    public static async Task<IMailFolder> FolderAsync(ImapClient client, string folder)
    {
        if (folder == "INBOX")
        {
            return client.Inbox;
        }

        var personal = client.GetFolder(client.PersonalNamespaces[0]);
        try
        {
            return await client.GetFolderAsync(folder);
        }
        catch (FolderNotFoundException)
        {
            var created = (await personal.CreateAsync(folder, true)).ShouldNotBeNull();
            await created.SubscribeAsync();
            return created;
        }
    }

    public static byte[] Bytes(MimeMessage message)
    {
        using var bytes = new MemoryStream();
        message.WriteTo(FormatOptions.Default, bytes);
        return bytes.ToArray();
    }

    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
