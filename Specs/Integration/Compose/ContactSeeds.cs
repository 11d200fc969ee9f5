using Marten;
using MailAccounts.Domain.Bounces;
using MailAccounts.Domain.Contacts;
using MailAccounts.Domain.Verification;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Integration.Compose;

/// <summary>
/// Contacts and marks put into the product's store as their own events: a contact's stream started with
/// <see cref="ContactAdded"/>, an address's stream given the <see cref="AddressMarkedInvalid"/> a hard bounce leaves.
/// </summary>
public static class ContactSeeds
{
    /// <summary>A word no other spec's contact holds, to name the contacts of one spec by.</summary>
    public static string Token() => "q" + Guid.NewGuid().ToString("N")[..8];

    public static async Task<Guid> ContactAsync(this ProductFixture product, string name, string organisation, params string[] addresses)
    {
        var id = Guid.CreateVersion7();
        await using var session = product.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Events.StartStream<Contact>(id, new ContactAdded(
            id, name, organisation, "", [.. addresses.Select((a, i) => new ContactAddress(a, i == 0))], "manual", null, Guid.Empty, DateTimeOffset.UtcNow));
        await session.SaveChangesAsync();
        return id;
    }

    public static async Task DeleteContactAsync(this ProductFixture product, Guid id)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Events.Append(id, new ContactDeleted(id, Guid.Empty, DateTimeOffset.UtcNow));
        await session.SaveChangesAsync();
    }

    /// <summary>The address marked invalid as a hard bounce of <paramref name="reportDate"/> marks it, with the server's words.</summary>
    public static async Task MarkInvalidAsync(
        this ProductFixture product, string address, string status = "5.1.1", string diagnostic = "550 5.1.1 User unknown", DateTimeOffset? reportDate = null)
    {
        var evidence = new BounceEvidence(
            BounceSource.Report, Guid.Empty, Guid.Empty, "<sent@specs.test>", "INBOX", 1, 1, "<report@specs.test>", reportDate ?? DateTimeOffset.UtcNow);
        await using var session = product.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Events.Append(AddressVerification.IdOf(address), new AddressMarkedInvalid(
            AddressVerification.Normalise(address), BounceClass.Hard, "userunknown", status, diagnostic, evidence, DateTimeOffset.UtcNow));
        await session.SaveChangesAsync();
    }
}
