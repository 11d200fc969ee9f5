using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Infrastructure.Common;

namespace MailAccounts.Infrastructure.Accounts;

/// <summary>The user looked at the certificate the test showed and trusts it for this account's server.</summary>
public sealed record TrustCertificate(Guid ActorId, Guid AccountId, string Host, string Fingerprint);

public static class TrustCertificateHandler
{
    public static async Task<Outcome> Handle(TrustCertificate command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stream = await session.Events.FetchForWriting<Account>(command.AccountId, cancellationToken);
        if (stream.Aggregate?.OwnerId != command.ActorId)
        {
            return new Outcome(command.AccountId, [new Violation("", AccountViolations.Unknown)]);
        }

        var decision = AccountDecisions.TrustCertificate(stream.Aggregate, command.Host, command.Fingerprint, command.ActorId, now);
        stream.AppendMany(decision.Events);
        return Outcome.Of(command.AccountId, decision);
    }
}
