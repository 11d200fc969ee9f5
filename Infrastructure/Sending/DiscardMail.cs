using Marten;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Sending;
using MailAccounts.Infrastructure.Common;

namespace MailAccounts.Infrastructure.Sending;

/// <summary>Discard on a draft or an unsent message: nothing of it is kept.</summary>
public sealed record DiscardMail(Guid UserId, Guid MailId);

public static class DiscardMailHandler
{
    public static async Task<Outcome> Handle(DiscardMail command, IDocumentSession session, CancellationToken cancellationToken)
    {
        var mail = await OutgoingMailQueries.FindOwnedAsync(session, command.MailId, command.UserId, cancellationToken);
        if (mail is null || mail.Locked)
        {
            return new Outcome(command.MailId, [new Violation("", SendingViolations.AlreadySent)]);
        }

        session.Delete(mail);
        return new Outcome(mail.Id, []);
    }
}
