using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Settings;
using Server = MailAccounts.Domain.Outgoing.OutgoingServer;

namespace MailAccounts.Infrastructure.History;

/// <summary>
/// A settings stream that has a History page: how to replay it (the aggregate's own Evolve and settings) and which
/// settings are secrets the export shows only as "changed". The three histories are the three sources below.
/// </summary>
public sealed class HistorySource
{
    private readonly Func<IQuerySession, CancellationToken, Task<IReadOnlyList<HistoryEntry>>> _load;

    private HistorySource(Guid streamId, string[] secretSettings, Func<IQuerySession, CancellationToken, Task<IReadOnlyList<HistoryEntry>>> load) =>
        (StreamId, SecretSettings, _load) = (streamId, secretSettings, load);

    public Guid StreamId { get; }

    /// <summary>The settings whose values (references to secrets) never leave the store: a password, a token, a client secret.</summary>
    public string[] SecretSettings { get; }

    public static HistorySource Account(Guid accountId) =>
        Of<Account>(accountId, Domain.Accounts.Account.Evolve, Domain.Accounts.Account.Settings,
            Domain.Accounts.Account.PasswordSetting, Domain.Accounts.Account.TokenSetting);

    public static HistorySource GeneralSettings(Guid userId) =>
        Of<MailSettings>(MailSettings.StreamFor(userId), MailSettings.Evolve, MailSettings.Settings);

    public static HistorySource OutgoingServer(Guid serverId) =>
        Of<Server>(serverId, Server.Evolve, Server.Settings, Domain.Accounts.Account.PasswordSetting);

    public static HistorySource SignInProvider(Guid providerId) =>
        Of<Domain.SignInProviders.SignInProvider>(providerId, Domain.SignInProviders.SignInProvider.Evolve, Domain.SignInProviders.SignInProvider.Settings,
            Domain.SignInProviders.SignInProvider.ClientSecretSetting);

    /// <summary>The stream's events newest first, each with what it changed and the settings it left (see <see cref="SettingsHistory.LoadAsync"/>).</summary>
    public Task<IReadOnlyList<HistoryEntry>> LoadAsync(IQuerySession session, CancellationToken cancellationToken) => _load(session, cancellationToken);

    /// <summary>The history as a file: all of it, or what the filter leaves.</summary>
    public async Task<(string Content, string ContentType, string FileName)> ExportAsync(
        IQuerySession session, HistoryFilter filter, string format, string name, CancellationToken cancellationToken)
    {
        var entries = HistoryExport.Entries(filter.Apply(await LoadAsync(session, cancellationToken)), SecretSettings);
        return format == "csv"
            ? (HistoryExport.ToCsv(entries), "text/csv; charset=utf-8", name + ".csv")
            : (HistoryExport.ToJson(entries), "application/json; charset=utf-8", name + ".json");
    }

    private static HistorySource Of<TState>(
        Guid streamId, Func<TState?, object, TState?> evolve, Func<TState?, IReadOnlyList<KeyValuePair<string, string>>> settings,
        params string[] secretSettings)
        where TState : class =>
        new(streamId, secretSettings, (session, cancellationToken) => SettingsHistory.LoadAsync(session, streamId, evolve, settings, cancellationToken));
}
