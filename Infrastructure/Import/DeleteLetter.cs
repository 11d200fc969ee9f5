using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Import;
using MailAccounts.Infrastructure.Common;

namespace MailAccounts.Infrastructure.Import;

/// <summary>A user deletes an imported letter in the system (never on the server): it leaves every list and is never imported again.</summary>
public sealed record DeleteLetter(Actor Actor, Guid LetterId);

public static class DeleteLetterHandler
{
    public const string Unknown = "Import.UnknownLetter";

    public static async Task<Outcome> Handle(DeleteLetter command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The access rule first: a letter the user may not read is refused as if it did not exist.
        if (await ImportedMail.FindAsync(session, command.Actor, command.LetterId, cancellationToken) is null)
        {
            return new Outcome(command.LetterId, [new Violation("", Unknown)]);
        }

        return await EventStreams.DecideAsync<Letter>(session, command.LetterId,
            letter => letter is null or { Deleted: true }
                ? Decision.Reject([new Violation("", Unknown)])
                : Decision.Accept([new LetterDeleted(command.LetterId, command.Actor.UserId, now)]),
            cancellationToken);
    }
}
