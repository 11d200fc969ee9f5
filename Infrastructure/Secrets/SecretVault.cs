using Marten;
using Microsoft.AspNetCore.DataProtection;

namespace MailAccounts.Infrastructure.Secrets;

/// <summary>A password encrypted with Data Protection. Events and messages hold its <see cref="Id"/>, never the text.</summary>
public sealed record ProtectedSecret(Guid Id, Guid OwnerId, string Ciphertext);

/// <summary>Stores and reads mail passwords. Every node reads them because the keys live in the database.</summary>
public sealed class SecretVault(IDataProtectionProvider protection)
{
    /// <summary>The Data Protection purpose mail passwords are protected under.</summary>
    public const string Purpose = "MailAccounts.Secrets.v1";

    private readonly IDataProtector _protector = protection.CreateProtector(Purpose);

    /// <summary>Adds the secret to the session's unit of work; it is saved with the events that refer to it.</summary>
    public void Store(IDocumentSession session, Guid secretId, Guid ownerId, string plaintext) =>
        session.Store(new ProtectedSecret(secretId, ownerId, _protector.Protect(plaintext)));

    /// <summary>
    /// Deletes a secret nothing refers to any more (replaced, or its account deleted) in the session's unit of work,
    /// so that it goes with the event that let it go. The history keeps only "password changed".
    /// </summary>
    public void Forget(IDocumentSession session, Guid? secretId)
    {
        if (secretId is { } id && id != Guid.Empty)
        {
            session.Delete<ProtectedSecret>(id);
        }
    }

    public async Task<string?> RevealAsync(IQuerySession session, Guid secretId, CancellationToken cancellationToken)
    {
        var secret = await session.LoadAsync<ProtectedSecret>(secretId, cancellationToken);
        return secret is null ? null : _protector.Unprotect(secret.Ciphertext);
    }
}
