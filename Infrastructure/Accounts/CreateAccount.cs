using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Common;

namespace MailAccounts.Infrastructure.Accounts;

/// <summary>A user connects a mailbox of their own.</summary>
public sealed record CreateAccount(Guid ActorId, string? Title, string? Name, string? Address);

public static class CreateAccountHandler
{
    public static async Task<Outcome> Handle(CreateAccount command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var accountId = Guid.CreateVersion7();
        var ownerTitles = await session.Query<Account>()
            .Where(a => a.OwnerId == command.ActorId)
            .Select(a => a.Title)
            .ToListAsync(cancellationToken);

        var decision = AccountDecisions.Create(
            accountId, command.ActorId, new AccountDraft(command.Title, command.Name, command.Address), ownerTitles, command.ActorId, now);
        if (decision.IsAccepted)
        {
            session.Events.StartStream<Account>(accountId, decision.Events.ToArray());
        }

        return Outcome.Of(accountId, decision);
    }
}
