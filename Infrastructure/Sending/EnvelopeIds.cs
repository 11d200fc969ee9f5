namespace MailAccounts.Infrastructure.Sending;

/// <summary>
/// The envelope id (RFC 3461 ENVID) a message goes with: its outbox id, which only the servers on its way ever see and
/// which names nothing else; a delivery status report quotes it back as <c>Original-Envelope-Id</c>, so that a bounce
/// finds the message it is about without trusting its text. Printable ASCII, well under the 100 characters allowed.
/// </summary>
public static class EnvelopeIds
{
    private const string Prefix = "mailaccounts.";

    public static string Of(Guid mailId) => Prefix + mailId.ToString("N");

    /// <summary>The outbox id an envelope id names, when it is one of ours.</summary>
    public static Guid? MailOf(string? envelopeId) =>
        envelopeId is { } id && id.Trim() is var trimmed && trimmed.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)
            && Guid.TryParseExact(trimmed[Prefix.Length..], "N", out var mailId)
            ? mailId
            : null;
}
