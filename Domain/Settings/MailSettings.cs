using System.Globalization;

namespace MailAccounts.Domain.Settings;

public sealed record Signature(Guid Id, string Name, string Html);

public sealed record AccountFolders(Guid AccountId, IReadOnlyList<string> Folders);

/// <summary>A user's mail preferences as their events left them; a user without events has the defaults.</summary>
public sealed record MailSettings(
    Guid Id,
    int CheckIntervalMinutes,
    bool PlainText,
    string Charset,
    IReadOnlyList<Signature> Signatures,
    Guid? DefaultSignatureId,
    bool SignatureBeforeQuote,
    int PageSize,
    IReadOnlyList<AccountFolders> VisibleFolders,
    DateTimeOffset? CheckIntervalChangedAt = null,
    string? TimeZone = null,
    int? UndoSendSeconds = null)
{
    public static readonly IReadOnlyList<int> CheckIntervals = [0, 5, 15, 30, 60];

    public static readonly IReadOnlyList<int> PageSizes = [10, 20, 50, 100, 200];

    /// <summary>The charsets offered for outgoing mail, by IANA name.</summary>
    public static readonly IReadOnlyList<string> Charsets =
        ["utf-8", "windows-1251", "koi8-r", "iso-8859-1", "iso-8859-5", "iso-2022-jp", "windows-1252", "iso-8859-15", "koi8-u", "windows-1250", "iso-8859-2"];

    public static MailSettings Defaults(Guid userId) => new(StreamFor(userId), 0, false, "utf-8", [], null, false, 50, []);

    /// <summary>
    /// The user's settings stream. It is derived from the user's id but is not that id: the user's own stream
    /// (sign-in, role) is a different aggregate, and two aggregates must never share a stream.
    /// </summary>
    public static Guid StreamFor(Guid userId)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("mail-settings:" + userId.ToString("N")));
        return new Guid(hash.AsSpan(0, 16));
    }

    /// <summary>The wait after Send during which Undo takes the message back: the user's choice, else the system's.</summary>
    public int UndoSendSecondsOr(int systemDefault) => UndoSendSeconds ?? systemDefault;

    public Signature? FindSignature(Guid? id) => id is null ? null : Signatures.FirstOrDefault(s => s.Id == id);

    public IReadOnlyList<string> VisibleFoldersOf(Guid accountId) =>
        VisibleFolders.FirstOrDefault(v => v.AccountId == accountId)?.Folders ?? [];

    /// <summary>The events <see cref="Evolve"/> reads: every general-settings event of the user.</summary>
    public static IReadOnlyList<Type> ChangedBy { get; } =
    [
        typeof(CheckIntervalChanged), typeof(PlainTextDefaultChanged), typeof(EncodingChanged), typeof(SignaturePlacementChanged),
        typeof(PageSizeChanged), typeof(SignatureCreated), typeof(SignatureEdited), typeof(SignatureDeleted),
        typeof(DefaultSignatureChosen), typeof(VisibleFoldersChosen), typeof(TimeZoneChosen),
        typeof(UndoSendDelayChanged),
    ];

    public static MailSettings? Evolve(MailSettings? state, object @event)
    {
        var current = state ?? (@event is IUserSettingsEvent first ? Defaults(first.UserId) : null);
        return (current, @event) switch
        {
            (null, _) => null,
            (_, CheckIntervalChanged e) => current with { CheckIntervalMinutes = e.Minutes, CheckIntervalChangedAt = e.At },
            (_, PlainTextDefaultChanged e) => current with { PlainText = e.PlainText },
            (_, EncodingChanged e) => current with { Charset = e.Charset },
            (_, SignaturePlacementChanged e) => current with { SignatureBeforeQuote = e.BeforeQuote },
            (_, PageSizeChanged e) => current with { PageSize = e.PageSize },
            (_, SignatureCreated e) => current with { Signatures = [.. current.Signatures, new Signature(e.SignatureId, e.Name, e.Html)] },
            (_, SignatureEdited e) => current with
            {
                Signatures = [.. current.Signatures.Select(s => s.Id == e.SignatureId ? new Signature(e.SignatureId, e.Name, e.Html) : s)],
            },
            (_, SignatureDeleted e) => current with
            {
                Signatures = [.. current.Signatures.Where(s => s.Id != e.SignatureId)],
                DefaultSignatureId = current.DefaultSignatureId == e.SignatureId ? null : current.DefaultSignatureId,
            },
            (_, DefaultSignatureChosen e) => current with { DefaultSignatureId = e.SignatureId },
            (_, VisibleFoldersChosen e) => current with
            {
                VisibleFolders = [.. current.VisibleFolders.Where(v => v.AccountId != e.AccountId), new AccountFolders(e.AccountId, e.Folders)],
            },
            (_, TimeZoneChosen e) => current with { TimeZone = e.TimeZone },
            (_, UndoSendDelayChanged e) => current with { UndoSendSeconds = e.Seconds },
            _ => current,
        };
    }

    /// <summary>The settings a person reads, for the history's before and after.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Settings(MailSettings? state)
    {
        if (state is null)
        {
            return [];
        }

        var settings = new List<KeyValuePair<string, string>>
        {
            new(nameof(CheckIntervalMinutes), state.CheckIntervalMinutes.ToString(CultureInfo.InvariantCulture)),
            new(nameof(PlainText), state.PlainText.ToString()),
            new(nameof(Charset), state.Charset),
            new(nameof(DefaultSignatureId), state.FindSignature(state.DefaultSignatureId)?.Name ?? ""),
            new(nameof(SignatureBeforeQuote), state.SignatureBeforeQuote.ToString()),
            new(nameof(PageSize), state.PageSize.ToString(CultureInfo.InvariantCulture)),
            new(nameof(TimeZone), state.TimeZone ?? ""),
        };
        if (state.UndoSendSeconds is { } undo)
        {
            settings.Add(new(nameof(UndoSendSeconds), undo.ToString(CultureInfo.InvariantCulture)));
        }

        settings.AddRange(state.Signatures.Select(s => new KeyValuePair<string, string>("Signature:" + s.Id, $"{s.Name}: {s.Html}")));
        settings.AddRange(state.VisibleFolders.Select(v => new KeyValuePair<string, string>("VisibleFolders:" + v.AccountId, string.Join(", ", v.Folders))));
        return settings;
    }
}

/// <summary>Every settings event names the user whose settings it changes.</summary>
public interface IUserSettingsEvent
{
    Guid UserId { get; }
}
