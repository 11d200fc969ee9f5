using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using MailAccounts.Infrastructure.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MailAccounts.Specs.Support;

public sealed record DumpedSecret(Guid Id, string Ciphertext);

/// <summary>
/// What a copy of the database gives away: the key ring rows and the protected secrets, read straight from the tables,
/// and a Data Protection provider of the product's name over exactly that key ring, as an attacker would build it.
/// </summary>
public static class DatabaseDump
{
    public static async Task<IReadOnlyList<XElement>> KeyRingAsync(string connectionString) =>
        (await ColumnAsync(connectionString, $"select data->>'Xml' from {StorageConfiguration.Schema}.mt_doc_dataprotectionkey"))
        .Select(row => XElement.Parse(row[0])).ToArray();

    public static async Task<IReadOnlyList<DumpedSecret>> SecretsAsync(string connectionString) =>
        (await ColumnAsync(connectionString, $"select id::text, data->>'Ciphertext' from {StorageConfiguration.Schema}.mt_doc_protectedsecret"))
        .Select(row => new DumpedSecret(Guid.Parse(row[0]), row[1])).ToArray();

    /// <summary>The product's protector for mail passwords, over the dumped key ring, with or without the certificate.</summary>
    public static IDataProtector SecretProtectorOver(IReadOnlyList<XElement> keyRing, X509Certificate2? certificate)
    {
        var services = new ServiceCollection();
        var protection = services.AddDataProtection().SetApplicationName(MailAccounts.Infrastructure.Secrets.Configuration.ApplicationName);
        if (certificate is not null)
        {
            protection.UnprotectKeysWithAnyCertificate(certificate);
        }

        services.Configure<KeyManagementOptions>(options =>
        {
            options.XmlRepository = new DumpedKeyRing(keyRing);
            // Reading only: a key made here would say nothing about the dump.
            options.AutoGenerateKeys = false;
        });
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>().CreateProtector(MailAccounts.Infrastructure.Secrets.SecretVault.Purpose);
    }

    /// <summary>
    /// The id of the key a Data Protection ciphertext was made with: after its four-byte magic header, the key's id as
    /// the sixteen bytes of a Guid (the payload format of ASP.NET Core's key-ring-based protector).
    /// </summary>
    public static Guid KeyIdOf(string ciphertext)
    {
        var payload = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(ciphertext);
        return new Guid(payload.AsSpan(4, 16));
    }

    /// <summary>The plaintext, or null when the protector cannot decrypt it.</summary>
    public static string? TryUnprotect(this IDataProtector protector, string ciphertext)
    {
        try
        {
            return protector.Unprotect(ciphertext);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    private static async Task<List<string[]>> ColumnAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray());
        }

        return rows;
    }

    private sealed class DumpedKeyRing(IReadOnlyList<XElement> keys) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements() => keys.Select(k => new XElement(k)).ToArray();

        public void StoreElement(XElement element, string friendlyName) =>
            throw new InvalidOperationException("The dumped key ring is read, never written.");
    }
}
