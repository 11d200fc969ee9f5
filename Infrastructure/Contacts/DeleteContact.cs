using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Contacts;
using MailAccounts.Infrastructure.Common;

namespace MailAccounts.Infrastructure.Contacts;

/// <summary>An administrator deletes a contact: it leaves the list and every page; its stream stays for its History.</summary>
public sealed record DeleteContact(Actor Actor, Guid ContactId);

public static class DeleteContactHandler
{
    public static Task<Outcome> Handle(DeleteContact command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken) =>
        EventStreams.DecideAsync<Contact>(session, command.ContactId, contact =>
        {
            var decision = ContactDecisions.Delete(contact, command.Actor.IsAdministrator, command.Actor.UserId, now);
            AddressClaims.Follow(session, contact, decision.Events);
            return decision;
        }, cancellationToken);
}
