using Marten;
using MailAccounts.Domain.Settings;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Rendering;

namespace MailAccounts.Infrastructure.Settings;

/// <summary>Create (no <paramref name="SignatureId"/>) or edit a signature. The template is checked in the sandbox before anything is saved.</summary>
public sealed record SaveSignature(Guid ActorId, Guid? SignatureId, string? Name, string? Html);

public static class SaveSignatureHandler
{
    public static async Task<Outcome> Handle(SaveSignature command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stream = await session.Events.FetchForWriting<MailSettings>(MailSettings.StreamFor(command.ActorId), cancellationToken);
        var signatureId = command.SignatureId ?? Guid.CreateVersion7();
        if (command.SignatureId is not null && stream.Aggregate?.FindSignature(signatureId) is null)
        {
            return new Outcome(signatureId, [new("", SettingsViolations.SignatureUnknown)]);
        }

        var html = (command.Html ?? "").Trim();
        var error = html.Length > MailSettingsDecisions.MaxSignatureLength ? null : SignatureTemplates.Check(html);
        var decision = MailSettingsDecisions.SaveSignature(command.ActorId, stream.Aggregate, signatureId, command.Name, html, error, command.ActorId, now);
        stream.AppendMany(decision.Events);
        return new Outcome(signatureId, decision.Violations.Select(v => v.Code == SettingsViolations.SignatureTemplateInvalid
            ? v with { Detail = error } : v).ToArray());
    }
}

/// <summary>Deletes a signature; a default that pointed to it falls back to none.</summary>
public sealed record DeleteSignature(Guid ActorId, Guid SignatureId);

public static class DeleteSignatureHandler
{
    public static async Task<Outcome> Handle(DeleteSignature command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stream = await session.Events.FetchForWriting<MailSettings>(MailSettings.StreamFor(command.ActorId), cancellationToken);
        var decision = MailSettingsDecisions.DeleteSignature(command.ActorId, stream.Aggregate, command.SignatureId, command.ActorId, now);
        stream.AppendMany(decision.Events);
        return Outcome.Of(command.SignatureId, decision);
    }
}
