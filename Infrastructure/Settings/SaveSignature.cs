using Marten;
using MailAccounts.Domain.Common;
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
        var signatureId = command.SignatureId ?? Guid.CreateVersion7();
        var html = (command.Html ?? "").Trim();
        var error = html.Length > MailSettingsDecisions.MaxSignatureLength ? null : SignatureTemplates.Check(html);
        var outcome = await SettingsStream.DecideAsync(session, command.ActorId,
            settings => command.SignatureId is not null && settings?.FindSignature(signatureId) is null
                ? Decision.Reject([new("", SettingsViolations.SignatureUnknown)])
                : MailSettingsDecisions.SaveSignature(command.ActorId, settings, signatureId, command.Name, html, error, command.ActorId, now),
            cancellationToken, outcomeId: signatureId);

        // The checker's own words say where the template is wrong.
        return outcome with { Violations = [.. outcome.Violations.Select(v => v.Code == SettingsViolations.SignatureTemplateInvalid ? v with { Detail = error } : v)] };
    }
}
