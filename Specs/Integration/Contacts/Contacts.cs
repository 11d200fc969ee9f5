using System.Net;
using Marten;
using MailAccounts.Domain.Contacts;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Integration.Contacts;

/// <summary>What the contacts specs share: a contact added through its page, its view and events, and an address marked invalid as a bounce marks it.</summary>
internal static class Contacts
{
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    /// <summary>Adds the contact on the Add page as a person does; returns its id (the page it redirects to names it).</summary>
    public static async Task<Guid> AddContactAsync(this UserSession session, string name, string organisation, params string[] addresses)
    {
        var fields = new Dictionary<string, string> { ["Input.Name"] = name, ["Input.Organisation"] = organisation, ["Input.Notes"] = "" };
        for (var i = 0; i < addresses.Length; i++)
        {
            fields[$"Input.Addresses[{i}]"] = addresses[i];
        }

        var saved = await session.SubmitAsync("/Contacts/Edit", fields);
        saved.Status.ShouldBe(HttpStatusCode.Redirect, saved.Html);
        return IdIn(saved.Location!);
    }

    public static Guid IdIn(Uri location) => Guid.Parse(location.OriginalString[^36..]);

    public static async Task<Contact?> ContactAsync(this ProductFixture product, Guid id)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.LoadAsync<Contact>(id);
    }

    public static async Task<IReadOnlyList<object>> ContactEventsAsync(this ProductFixture product, Guid id)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return [.. (await session.Events.FetchStreamAsync(id)).Select(e => e.Data)];
    }

    public static async Task<int> ContactCountAsync(this ProductFixture product, string search)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var key = search.ToLowerInvariant();
        return await session.Query<Contact>().CountAsync(c => !c.Deleted && c.Search.Contains(key));
    }
}
