using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Contacts;
using MailAccounts.Infrastructure.Common;

namespace MailAccounts.Infrastructure.Contacts;

/// <summary>
/// Done on the contact form: adds the contact (no <paramref name="ContactId"/>) or saves the changes to it.
/// <paramref name="ExpectedVersion"/> is the version the form was loaded at: a form saved over someone else's change
/// is refused rather than silently undoing it. <paramref name="Source"/> says where an added contact came from
/// (<see cref="ContactDecisions.ManualSource"/> or, from a message's "Add to contacts", <see cref="ContactDecisions.MessageSource"/>).
/// </summary>
public sealed record SaveContact(Actor Actor, Guid? ContactId, long? ExpectedVersion, ContactForm Form, string Source = ContactDecisions.ManualSource);

public static class SaveContactHandler
{
    public static async Task<Outcome> Handle(SaveContact command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var taken = await ContactQueries.HoldersAsync(session, command.Form.Addresses ?? [], cancellationToken);
        if (command.ContactId is not { } id)
        {
            var contactId = Guid.CreateVersion7();
            var source = command.Source == ContactDecisions.MessageSource ? ContactDecisions.MessageSource : ContactDecisions.ManualSource;
            var added = ContactDecisions.Add(contactId, command.Form, taken, source, null, command.Actor.UserId, now);
            if (added.IsAccepted)
            {
                session.Events.StartStream<Contact>(contactId, added.Events.ToArray());
                AddressClaims.Follow(session, null, added.Events);
            }

            return Outcome.Of(contactId, added);
        }

        var stream = command.ExpectedVersion is { } version
            ? await session.Events.FetchForWriting<Contact>(id, version, cancellationToken)
            : await session.Events.FetchForWriting<Contact>(id, cancellationToken);
        var decision = ContactDecisions.Edit(stream.Aggregate, command.Form, taken, command.Actor.UserId, now);
        if (decision.IsAccepted)
        {
            stream.AppendMany(decision.Events);
            AddressClaims.Follow(session, stream.Aggregate, decision.Events);
        }

        return Outcome.Of(id, decision);
    }
}
