using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Outgoing;
using MailAccounts.Infrastructure.Sending;

namespace MailAccounts.Infrastructure.Outgoing;

/// <summary>The <c>Outgoing</c> section of the configuration.</summary>
public sealed class OutgoingOptions
{
    public const string Section = "Outgoing";

    /// <summary>
    /// The domains the system's default server may send from until an administrator chooses others on the Outgoing
    /// server page (that choice is an event on the server's stream and wins from then on). Empty: it sends from none.
    /// </summary>
    public List<string> SenderDomains { get; set; } = [];
}

/// <summary>Which From addresses the system's default outgoing server takes: those in the allowed domains.</summary>
public sealed class SenderDomainPolicy(OutgoingOptions options)
{
    /// <summary>The configuration's list, the starting value before an administrator chose one.</summary>
    public IReadOnlyList<string> Configured { get; } = SenderDomains.Parse(options.SenderDomains);

    public async Task<IReadOnlyList<string>> AllowedAsync(IQuerySession session, CancellationToken cancellationToken) =>
        Allowed(await OutgoingServerQueries.SystemDefaultAsync(session, cancellationToken));

    public IReadOnlyList<string> Allowed(OutgoingServer? systemServer) => systemServer?.SenderDomains ?? Configured;

    /// <summary>
    /// Null when the account may send as it is; otherwise the domains it may send from. Only an account on the system's
    /// default server is restricted; a user's own server signs in with the user's login, which decides.
    /// </summary>
    public async Task<IReadOnlyList<string>?> RefusalAsync(IQuerySession session, Account account, CancellationToken cancellationToken)
    {
        if (account.Outgoing?.ServerId is not null)
        {
            return null;
        }

        var allowed = await AllowedAsync(session, cancellationToken);
        return SenderDomains.Allows(allowed, MailComposer.Sender(account).Address) ? null : allowed;
    }
}
