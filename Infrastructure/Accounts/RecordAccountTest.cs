using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Common;

namespace MailAccounts.Infrastructure.Accounts;

/// <summary>A connection test or a test e-mail of a saved account, for its history and its health.</summary>
public sealed record RecordAccountTest(Actor Actor, Guid AccountId, bool Succeeded, string? FailedStage, string Detail, string? TestEmailTo);

public static class RecordAccountTestHandler
{
    public static async Task<Outcome> Handle(RecordAccountTest command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var account = await AccountQueries.FindAsync(session, command.AccountId, command.Actor, AccountUse.Configure, cancellationToken);
        if (account is null)
        {
            return new Outcome(command.AccountId, [new(string.Empty, AccountViolations.Unknown)]);
        }

        // Appended without an expected version: a test result never conflicts with a settings change.
        session.Events.Append(account.Id, Event(account.Id,
            new RecordedTest(command.Actor.UserId, command.Succeeded, command.FailedStage, command.Detail, command.TestEmailTo, now)));
        return new Outcome(account.Id, []);
    }

    public static object Event(Guid accountId, RecordedTest test) =>
        AccountDecisions.RecordTest(accountId, new AccountTest(test.Succeeded, test.FailedStage, test.Detail, test.TestEmailTo), test.UserId, test.At);
}
