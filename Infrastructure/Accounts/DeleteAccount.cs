using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Infrastructure.Common;

namespace MailAccounts.Infrastructure.Accounts;

public sealed record DeleteAccount(Guid ActorId, Guid AccountId);

public static class DeleteAccountHandler
{
    public static async Task<Outcome> Handle(DeleteAccount command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stream = await session.Events.FetchForWriting<Account>(command.AccountId, cancellationToken);
        if (stream.Aggregate?.OwnerId != command.ActorId)
        {
            return new Outcome(command.AccountId, [new Violation("", AccountViolations.Unknown)]);
        }

        var decision = AccountDecisions.Delete(stream.Aggregate, command.ActorId, now);
        stream.AppendMany(decision.Events);
        return Outcome.Of(command.AccountId, decision);
    }
}
