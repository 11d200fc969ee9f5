using Marten;
using MailAccounts.Domain.Bounces;
using MailAccounts.Domain.Contacts;
using MailAccounts.Domain.Verification;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Support;

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

    /// <summary>
    /// The address's stream given a hard bounce and its mark, as the check records them, with the server's words; the
    /// bounce lies in <paramref name="accountId"/>'s INBOX where one is named (the contact page links to it).
    /// </summary>
    public static async Task MarkInvalidAsync(
        this ProductFixture product, string address, Guid? accountId = null, string status = "5.1.1", string diagnostic = "550 5.1.1 User unknown",
        DateTimeOffset? reportDate = null)
    {
        var evidence = new BounceEvidence(
            BounceSource.Report, accountId ?? Guid.Empty, Guid.NewGuid(), "<sent@specs.test>", "INBOX", 7, 42, "<report@specs.test>", reportDate ?? DateTimeOffset.UtcNow);
        var normalised = AddressVerification.Normalise(address);
        await using var session = product.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Events.Append(AddressVerification.IdOf(address),
            new AddressBounced(normalised, BounceClass.Hard, "userunknown", status, 550, diagnostic, evidence, DateTimeOffset.UtcNow),
            new AddressMarkedInvalid(normalised, BounceClass.Hard, "userunknown", status, diagnostic, evidence, DateTimeOffset.UtcNow));
        await session.SaveChangesAsync();
    }
}
