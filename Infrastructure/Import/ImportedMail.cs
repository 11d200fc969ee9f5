using System.IO.Compression;
using Marten;
using Marten.Linq.MatchesSql;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Import;
using MailAccounts.Infrastructure.Accounts;
using Npgsql;

namespace MailAccounts.Infrastructure.Import;

/// <summary>One page of imported mail, newest first.</summary>
public sealed record ImportedPage(IReadOnlyList<Letter> Letters, int Total, int Page, int PageCount);

/// <summary>
/// Every page and handler reads imported mail here, so that one rule decides who sees a letter: a user sees it when they
/// may use (<see cref="AccountUse.Use"/>) an account it was found in. An individual account's mail is its owner's alone
/// (administrators never see it); a group account's is for the users it was granted to. A deleted letter is nobody's.
/// Unknown and forbidden look the same: null.
/// </summary>
public static class ImportedMail
{
    /// <summary>The accounts whose imported mail the viewer may read.</summary>
    public static async Task<IReadOnlyList<Account>> AccountsAsync(IQuerySession session, Actor viewer, CancellationToken cancellationToken) =>
        await AccountQueries.ListAsync(session, viewer, AccountUse.Use, cancellationToken);

    /// <summary>A page of the letters the viewer may read, newest first; <paramref name="accountId"/> narrows it to one account.</summary>
    public static async Task<ImportedPage> PageAsync(
        IQuerySession session, Actor viewer, int page, int pageSize, CancellationToken cancellationToken, Guid? accountId = null)
    {
        var accounts = (await AccountsAsync(session, viewer, cancellationToken)).Select(a => a.Id).Where(a => accountId is null || a == accountId).ToArray();
        if (accounts.Length == 0)
        {
            return new ImportedPage([], 0, 1, 1);
        }

        var total = await Visible(session, accounts).CountAsync(cancellationToken);
        var pageCount = Math.Max(1, (total + pageSize - 1) / pageSize);
        page = Math.Clamp(page, 1, pageCount);
        var letters = await Visible(session, accounts)
            .OrderByDescending(l => l.Sorted)
            .Skip((page - 1) * pageSize)
            .Take(pageSize)
            .ToListAsync(cancellationToken);
        return new ImportedPage(letters, total, page, pageCount);
    }

    /// <summary>The letter, when the viewer may read it.</summary>
    public static async Task<Letter?> FindAsync(IQuerySession session, Actor viewer, Guid letterId, CancellationToken cancellationToken)
    {
        var letter = await session.LoadAsync<Letter>(letterId, cancellationToken);
        if (letter is null || letter.Deleted)
        {
            return null;
        }

        var accounts = await AccountsAsync(session, viewer, cancellationToken);
        return accounts.Any(a => letter.AccountIds.Contains(a.Id)) ? letter : null;
    }

    /// <summary>
    /// The letters of the same thread the viewer may read, oldest first, the letter itself among them: those it answers
    /// (its References and In-Reply-To) and those that answer it or share its references.
    /// </summary>
    public static async Task<IReadOnlyList<Letter>> ThreadAsync(IQuerySession session, Actor viewer, Letter letter, CancellationToken cancellationToken)
    {
        var ids = letter.Headers.References.Append(letter.Headers.InReplyTo).Append(letter.Headers.MessageId)
            .OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        if (ids.Length == 0)
        {
            return [letter];
        }

        var accounts = (await AccountsAsync(session, viewer, cancellationToken)).Select(a => a.Id).ToArray();
        var related = await Visible(session, accounts)
            .Where(l => l.MatchesSql(
                "(d.data -> 'Headers' ->> 'MessageId' = any(?) or d.data -> 'Headers' ->> 'InReplyTo' = any(?) or jsonb_exists_any(d.data -> 'Headers' -> 'References', ?))",
                ids, ids, ids))
            .Take(500)
            .ToListAsync(cancellationToken);
        return [.. related.Append(letter).DistinctBy(l => l.Id).OrderBy(l => l.Sorted)];
    }

    /// <summary>
    /// The newest letters the viewer may read that are from, to or copied to any of <paramref name="addresses"/>
    /// (a contact's correspondence), newest first, at most <paramref name="limit"/>.
    /// </summary>
    public static async Task<IReadOnlyList<Letter>> ExchangedWithAsync(
        IQuerySession session, Actor viewer, IReadOnlyCollection<string> addresses, int limit, CancellationToken cancellationToken)
    {
        var wanted = Bare(addresses);
        var accounts = (await AccountsAsync(session, viewer, cancellationToken)).Select(a => a.Id).ToArray();
        if (wanted.Length == 0 || accounts.Length == 0)
        {
            return [];
        }

        return await ExchangedWith(Visible(session, accounts), wanted)
            .OrderByDescending(l => l.Sorted)
            .Take(limit)
            .ToListAsync(cancellationToken);
    }

    /// <summary>The addresses as <see cref="ExchangedWith"/> compares them: trimmed, in lower case, each once.</summary>
    public static string[] Bare(IEnumerable<string> addresses) =>
        [.. addresses.Select(a => a.Trim().ToLowerInvariant()).Where(a => a.Length > 0).Distinct()];

    /// <summary>
    /// The letters from, to or copied to one of <paramref name="bare"/> (see <see cref="Bare"/>), exactly: the headers
    /// keep a mailbox as a person reads it ("Boris Petrov &lt;boris@example.com&gt;", or the address alone), so a header
    /// matches when it is the address, or ends with it in angle brackets; boris@example.com never finds
    /// aboris@example.com. In the query, so that a page of a search narrowed to a contact is a whole page.
    /// </summary>
    internal static IQueryable<Letter> ExchangedWith(IQueryable<Letter> letters, string[] bare) =>
        letters.Where(l => l.MatchesSql(ExchangedWithSql, ExchangedWithParameters(bare)));

    /// <summary>The condition of <see cref="ExchangedWith"/> over the letter document <c>d</c>, with its two parameters.</summary>
    internal const string ExchangedWithSql =
        "exists (select 1 from jsonb_array_elements_text(coalesce(d.data -> 'Headers' -> 'To', '[]'::jsonb) || coalesce(d.data -> 'Headers' -> 'Cc', '[]'::jsonb) || jsonb_build_array(coalesce(d.data -> 'Headers' ->> 'From', ''))) h where lower(trim(h)) = any(?) or lower(trim(h)) like any(?))";

    internal static object[] ExchangedWithParameters(string[] bare) =>
        [bare, bare.Select(a => "%<" + a.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + ">").ToArray()];

    /// <summary>The bare address of a header's mailbox as the import keeps it ("Name <address>" or the address alone), in lower case.</summary>
    public static string AddressIn(string mailbox)
    {
        var open = mailbox.LastIndexOf('<');
        var close = mailbox.LastIndexOf('>');
        return (open >= 0 && close > open ? mailbox[(open + 1)..close] : mailbox).Trim().ToLowerInvariant();
    }

    /// <summary>
    /// The raw message as the server held it, decompressed, with its attachments' base64 text written back where it was
    /// taken out (<see cref="DetachedPart"/>); null when it is not stored (a letter too large to keep).
    /// </summary>
    public static async Task<Stream?> RawAsync(IQuerySession session, Letter letter, CancellationToken cancellationToken)
    {
        if (letter.TooLarge || await KeptAsync(session, Configuration.RawTable, letter.RawSha256, cancellationToken) is not { } kept)
        {
            return null;
        }

        if (kept.Detached is null)
        {
            return new MemoryStream(kept.Content, writable: false);
        }

        var raw = new MemoryStream(checked((int)letter.Size));
        var at = 0L;
        var read = 0;
        foreach (var part in DetachedPart.FromJson(kept.Detached))
        {
            raw.Write(kept.Content, read, checked((int)(part.At - at)));
            read += (int)(part.At - at);
            var attachment = await KeptAsync(session, Configuration.AttachmentTable, part.Sha256, cancellationToken)
                ?? throw new InvalidDataException($"The attachment {part.Sha256} of the message {letter.RawSha256} is not stored.");
            part.WriteTo(attachment.Content, raw);
            at = part.At + part.Length;
        }

        raw.Write(kept.Content, read, kept.Content.Length - read);
        raw.Position = 0;
        return raw;
    }

    /// <summary>The content of the letter's attachment number <paramref name="index"/> (0-based), with its name and type; null when there is none.</summary>
    public static async Task<(LetterAttachment Attachment, Stream Content)?> AttachmentAsync(
        IQuerySession session, Letter letter, int index, CancellationToken cancellationToken)
    {
        if (index < 0 || index >= letter.Attachments.Count || letter.TooLarge)
        {
            return null;
        }

        var attachment = letter.Attachments[index];
        return await ContentAsync(session, Configuration.AttachmentTable, attachment.Sha256, cancellationToken) is { } content
            ? (attachment, content)
            : null;
    }

    /// <summary>The messages of the viewer's accounts that could not be imported and are not imported since, newest first.</summary>
    public static async Task<IReadOnlyList<QuarantinedMessage>> QuarantinedAsync(IQuerySession session, Actor viewer, CancellationToken cancellationToken)
    {
        var accounts = (await AccountsAsync(session, viewer, cancellationToken)).Select(a => a.Id).ToArray();
        return await session.Query<QuarantinedMessage>()
            .Where(q => q.LetterId == null && q.Place.AccountId.IsOneOf(accounts))
            .OrderByDescending(q => q.LastAt)
            .Take(500)
            .ToListAsync(cancellationToken);
    }

    /// <summary>One quarantined message, when it belongs to an account the viewer may use.</summary>
    public static async Task<QuarantinedMessage?> FindQuarantinedAsync(IQuerySession session, Actor viewer, Guid id, CancellationToken cancellationToken)
    {
        var message = await session.LoadAsync<QuarantinedMessage>(id, cancellationToken);
        return message is not null && (await AccountsAsync(session, viewer, cancellationToken)).Any(a => a.Id == message.Place.AccountId) ? message : null;
    }

    /// <summary>Where the import of each account the viewer may use stands, with how many of its messages wait in quarantine.</summary>
    public static async Task<IReadOnlyList<AccountImport>> ProgressAsync(IQuerySession session, Actor viewer, CancellationToken cancellationToken)
    {
        var accounts = await AccountsAsync(session, viewer, cancellationToken);
        return await ProgressOfAsync(session, accounts, cancellationToken);
    }

    /// <summary>The same for accounts the caller already read under the access rule (the settings list reads them for configuring).</summary>
    public static async Task<IReadOnlyList<AccountImport>> ProgressOfAsync(IQuerySession session, IReadOnlyList<Account> accounts, CancellationToken cancellationToken)
    {
        var ids = accounts.Select(a => a.Id).ToArray();
        var progress = (await session.LoadManyAsync<ImportProgress>(cancellationToken, ids)).ToDictionary(p => p.Id);
        var waiting = (await session.Query<QuarantinedMessage>()
                .Where(q => q.LetterId == null && q.Place.AccountId.IsOneOf(ids))
                .Select(q => q.Place.AccountId)
                .ToListAsync(cancellationToken))
            .CountBy(a => a).ToDictionary();
        return [.. accounts.Select(a => new AccountImport(a, progress.GetValueOrDefault(a.Id) ?? ImportProgress.None(a.Id), waiting.GetValueOrDefault(a.Id)))];
    }

    /// <summary>
    /// Which of the given UIDs of a folder are imported (their letters may since have been deleted in the system): the
    /// live list marks them.
    /// </summary>
    public static async Task<IReadOnlySet<string>> ImportedUidsAsync(
        IQuerySession session, Guid accountId, string folder, uint uidValidity, IReadOnlyCollection<string> uids, CancellationToken cancellationToken)
    {
        if (uids.Count == 0)
        {
            return new HashSet<string>();
        }

        await using var connection = await DataSourceOf(session).OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            $"select uid from {Configuration.PlaceTable} where account_id = $1 and folder = $2 and uid_validity = $3 and uid = any($4) and letter_id is not null", connection)
        {
            Parameters = { new() { Value = accountId }, new() { Value = folder }, new() { Value = (long)uidValidity }, new() { Value = uids.ToArray() } },
        };
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(reader.GetString(0));
        }

        return found;
    }

    internal static NpgsqlDataSource DataSourceOf(IQuerySession session) => DataSourceOf(session.DocumentStore);

    internal static NpgsqlDataSource DataSourceOf(IDocumentStore store) => ((Weasel.Postgresql.PostgresqlDatabase)store.Storage.Database).DataSource;

    /// <summary>The one access rule as a query: letters of these accounts (those the viewer may use), none deleted.</summary>
    internal static IQueryable<Letter> Visible(IQuerySession session, Guid[] accounts)
    {
        var ids = accounts.Select(a => a.ToString()).ToArray();
        return session.Query<Letter>().Where(l => !l.Deleted && l.MatchesSql("jsonb_exists_any(d.data -> 'AccountIds', ?)", new object[] { ids }));
    }

    private static async Task<Stream?> ContentAsync(IQuerySession session, string table, string sha256, CancellationToken cancellationToken) =>
        await KeptAsync(session, table, sha256, cancellationToken) is { } kept ? new MemoryStream(kept.Content, writable: false) : null;

    /// <summary>Content as it was before it was kept (decompressed), and for a raw message the parts taken out of it.</summary>
    private static async Task<(byte[] Content, string? Detached)?> KeptAsync(IQuerySession session, string table, string sha256, CancellationToken cancellationToken)
    {
        await using var connection = await DataSourceOf(session).OpenConnectionAsync(cancellationToken);
        var detached = table == Configuration.RawTable ? "detached" : "null";
        await using var command = new NpgsqlCommand($"select content, coalesce(compressed, true), {detached}::text from {table} where sha256 = $1", connection)
        {
            Parameters = { new() { Value = sha256 } },
        };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var kept = reader.GetFieldValue<byte[]>(0);
        var parts = reader.IsDBNull(2) ? null : reader.GetString(2);
        if (!reader.GetBoolean(1))
        {
            return (kept, parts);
        }

        using var content = new MemoryStream();
        await using (var brotli = new BrotliStream(new MemoryStream(kept), CompressionMode.Decompress))
        {
            await brotli.CopyToAsync(content, cancellationToken);
        }

        return (content.ToArray(), parts);
    }
}

/// <summary>An account's import as the pages show it: its progress, and how many of its messages wait in quarantine.</summary>
public sealed record AccountImport(Account Account, ImportProgress Progress, int Waiting);
