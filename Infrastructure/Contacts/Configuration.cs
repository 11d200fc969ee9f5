using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;
using MailAccounts.Domain.Contacts;

namespace MailAccounts.Infrastructure.Contacts;

/// <summary>Each contact's stream projected inline into <see cref="Contact"/>, which the list and the contact's page read.</summary>
public static class Configuration
{
    public static StoreOptions ConfigureContacts(this StoreOptions options)
    {
        options.Projections.Add(new ContactProjection(), ProjectionLifecycle.Inline);
        options.Schema.For<Contact>().Index(c => c.Name).GinIndexJsonData();
        options.Schema.For<ContactAddressClaim>().Index(c => c.ContactId);
        return options;
    }
}

/// <summary>Marten's entry to the pure <see cref="Contact.Evolve"/>.</summary>
public sealed class ContactProjection : SingleStreamProjection<Contact, Guid>
{
    public ContactProjection() => IncludedEventTypes.AddRange(Contact.ChangedBy);

    public override Contact? Evolve(Contact? snapshot, Guid id, IEvent e) => Contact.Evolve(snapshot, e.Data);
}
