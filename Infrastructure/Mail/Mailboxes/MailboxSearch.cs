using MailAccounts.Domain.Search;

namespace MailAccounts.Infrastructure.Mail.Mailboxes;

/// <summary>A message a search found: its id (IMAP UID or POP3 UIDL) and when it arrived, for merging folders newest first.</summary>
public sealed record SearchHit(string Id, DateTimeOffset Arrived);

/// <summary>
/// What one folder's search found: how many in all and the newest of them (newest first, as many as were asked for),
/// and the folder's UIDVALIDITY (0 for POP3).
/// </summary>
public sealed record SearchHits(int Total, IReadOnlyList<SearchHit> Newest, uint UidValidity);

/// <summary>
/// The server cannot search what was asked without changing it (text it would force to ASCII, a POP3 criterion with
/// no header to read it from): <paramref name="Code"/> is a <c>Search.*</c> code for the page to say, <paramref name="Part"/>
/// what it is about. Thrown instead of searching for something else.
/// </summary>
public sealed class SearchRefusedException(string code, string part) : Exception($"{code}: {part}")
{
    public const string CharsetUnsupported = "Search.CharsetUnsupported";
    public const string Pop3Unsupported = "Search.Pop3Unsupported";

    public string Code { get; } = code;

    public string Part { get; } = part;
}

/// <summary>Search on a signed-in mailbox, whatever the protocol (IMAP SEARCH, POP3 headers read with TOP).</summary>
public interface IMailboxSearch
{
    /// <summary>
    /// The folders a search covers: <paramref name="under"/> and its subfolders, or every folder of the account when
    /// null (the ones the user chose to see, all when none); selectable ones alone.
    /// </summary>
    Task<IReadOnlyList<string>> SearchFoldersAsync(string? under, IReadOnlyCollection<string> visible, CancellationToken cancellationToken);

    /// <summary>
    /// One search of one folder: the number found and the newest <paramref name="newest"/> of them, with their arrival
    /// dates where <paramref name="dated"/> (a merge of folders needs them; one folder's newest first is its UID order).
    /// Throws <see cref="SearchRefusedException"/> rather than search for something else than asked.
    /// </summary>
    Task<SearchHits> SearchAsync(string folder, MailCriteria criteria, int newest, bool dated, CancellationToken cancellationToken);

    /// <summary>The list rows of the messages named, in the order given; one that no longer exists has none.</summary>
    Task<IReadOnlyList<MessageRow>> SearchRowsAsync(string folder, IReadOnlyList<string> ids, CancellationToken cancellationToken);
}
