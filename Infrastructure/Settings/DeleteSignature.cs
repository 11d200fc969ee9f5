using Marten;
using MailAccounts.Domain.Settings;
using MailAccounts.Infrastructure.Common;

namespace MailAccounts.Infrastructure.Settings;

/// <summary>Deletes a signature; a default that pointed to it falls back to none.</summary>
public sealed record DeleteSignature(Guid ActorId, Guid SignatureId);

public static class DeleteSignatureHandler
{
    public static Task<Outcome> Handle(DeleteSignature command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken) =>
        SettingsStream.DecideAsync(session, command.ActorId,
            settings => MailSettingsDecisions.DeleteSignature(command.ActorId, settings, command.SignatureId, command.ActorId, now),
            cancellationToken, outcomeId: command.SignatureId);
}
