using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Outgoing;
using MailAccounts.Infrastructure.Mail;

namespace MailAccounts.Infrastructure.Accounts;

/// <summary>What a provider preset puts into the account form: the incoming server for the protocol, and the outgoing server to add.</summary>
public sealed record PresetSettings(IncomingProtocol Protocol, ServerEndpoint Incoming, OutgoingServerKind OutgoingKind, ServerEndpoint Outgoing);

public static class ProviderPresetSettings
{
    /// <summary>The preset's servers, by <paramref name="wanted"/> protocol where the provider offers it (POP3 is not everywhere), IMAP otherwise.</summary>
    public static PresetSettings SettingsFor(this ProviderPreset preset, IncomingProtocol wanted) => new(
        wanted == IncomingProtocol.Pop3 && preset.Pop3 is not null ? IncomingProtocol.Pop3 : IncomingProtocol.Imap,
        wanted == IncomingProtocol.Pop3 && preset.Pop3 is { } pop3 ? pop3 : preset.Imap,
        preset.Id switch { "gmail" => OutgoingServerKind.Gmail, "yahoo" => OutgoingServerKind.Yahoo, _ => OutgoingServerKind.Other },
        preset.Smtp);
}
