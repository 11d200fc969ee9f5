using System.Xml.Linq;
using Marten;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace MailAccounts.Infrastructure.Secrets;

public sealed record DataProtectionKey(string Id, string Xml);

/// <summary>
/// Keeps the Data Protection key ring in PostgreSQL, so that every node and every restart decrypts the
/// secrets and cookies the others encrypted.
/// </summary>
/// <remarks>
/// Data Protection calls the repository synchronously, and only when it loads or rotates the key ring (at the
/// first protect or unprotect, then about once a day), so blocking on Marten's asynchronous API here is cheap.
/// </remarks>
public sealed class MartenXmlRepository(IDocumentStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => LoadAsync().GetAwaiter().GetResult();

    public void StoreElement(XElement element, string friendlyName) => SaveAsync(element, friendlyName).GetAwaiter().GetResult();

    private async Task<IReadOnlyCollection<XElement>> LoadAsync()
    {
        await using var session = store.QuerySession();
        var keys = await session.Query<DataProtectionKey>().ToListAsync();
        return keys.Select(k => XElement.Parse(k.Xml)).ToArray();
    }

    private async Task SaveAsync(XElement element, string friendlyName)
    {
        await using var session = store.LightweightSession();
        session.Store(new DataProtectionKey(friendlyName, element.ToString(SaveOptions.DisableFormatting)));
        await session.SaveChangesAsync();
    }
}
