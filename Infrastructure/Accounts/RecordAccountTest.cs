using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Common;

namespace MailAccounts.Infrastructure.Accounts;

/// <summary>A connection test or a test e-mail of a saved account, for its history and its health.</summary>
public sealed record RecordAccountTest(Guid ActorId, Guid AccountId, bool Succeeded, string? FailedStage, string Detail, string? TestEmailTo);

public static class RecordAccountTestHandler
{
    public static async Task<Outcome> Handle(RecordAccountTest command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var account = await AccountQueries.FindVisibleToAsync(session, command.AccountId, command.ActorId, cancellationToken);
        if (account is null)
        {
            return new Outcome(command.AccountId, [new(string.Empty, AccountViolations.Unknown)]);
        }

        // Appended without an expected version: a test result never conflicts with a settings change.
        object recorded = command.TestEmailTo is { } to
            ? new TestEmailSent(account.Id, to, command.Succeeded, command.Detail, command.ActorId, now)
            : new ConnectionTested(account.Id, command.Succeeded, command.FailedStage, command.Detail, command.ActorId, now);
        session.Events.Append(account.Id, recorded);
        return new Outcome(account.Id, []);
    }
}
