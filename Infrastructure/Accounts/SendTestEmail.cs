using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Outgoing;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Outgoing;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.Infrastructure.Secrets;
using MailAccounts.Infrastructure.SignInProviders;
using MailAccounts.Infrastructure.Sending;
using MailAccounts.Infrastructure.Settings;
using MimeKit;

namespace MailAccounts.Infrastructure.Accounts;

/// <summary>The words of the test e-mail, in the language of the person who sends it.</summary>
/// <param name="SentInUtf8">Said when the user's charset cannot carry the text; <c>{0}</c> is the charset.</param>
public sealed record TestEmailWording(string Subject, string Text, string SentInUtf8);

/// <summary>
/// Send test email on the account form: the account's mail as it will be sent (sender, signature, charset, blind copy
/// to "Also forward to"), through the outgoing server the form chooses. <paramref name="NewServer"/> is a server added
/// on the form, with its password; a server chosen from the list sends with its stored one.
/// </summary>
public sealed record SendTestEmail(
    Actor Actor, Guid? AccountId, AccountForm Form, OutgoingServerFields? NewServer, IReadOnlyList<TrustedCertificate> Trust, string Recipient, TestEmailWording Wording);

public static class SendTestEmailHandler
{
    public static async Task<AccountTestOutcome> Handle(
        SendTestEmail command, IDocumentSession session, SecretVault vault, AccountTokens tokens, SmtpSender sender, MailTestLimiter limiter,
        TestEvidence evidence, SenderDomainPolicy senders, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var recipient = command.Recipient.Trim();
        if (!EmailAddress.IsValid(recipient))
        {
            return AccountTestOutcome.Refused(command.AccountId, AccountTestRefusals.RecipientInvalid);
        }

        var saved = command.AccountId is { } id ? await AccountFormQuery.LoadAsync(session, id, command.Actor, cancellationToken) : null;
        if (command.AccountId is not null && saved is null)
        {
            return AccountTestOutcome.Refused(command.AccountId, AccountViolations.Unknown);
        }

        if (!limiter.TryAcquire(command.Actor.UserId, out var retryAfter))
        {
            return AccountTestOutcome.Refused(command.AccountId, AccountTestRefusals.TooMany, AccountTestRefusals.Seconds(retryAfter));
        }

        var form = command.Form;
        var servers = await OutgoingServerQueries.VisibleToAsync(session, command.Actor.UserId, cancellationToken);
        var request = await RequestAsync(command, servers, session, vault, [.. saved?.Account.TrustedCertificates ?? [], .. command.Trust], cancellationToken);
        if (request is null)
        {
            return AccountTestOutcome.Refused(command.AccountId, AccountTestRefusals.NoOutgoingServer);
        }

        // A server that signs in as the mailbox the account signed in with a provider, with no password of its own,
        // takes the account's token, as the account's mail does (MailSessions.SmtpRequestAsync).
        var mailbox = form.Grant?.Mailbox ?? saved?.Account.Authorisation?.Mailbox;
        if (request is { UseAuthentication: true, Password.Length: 0 } && mailbox is not null && string.Equals(request.Login, mailbox, StringComparison.OrdinalIgnoreCase)
            && await FormTokens.ForAsync(session, tokens, command.Actor, form, saved, cancellationToken) is { } token)
        {
            request = request with { Password = token, PasswordIsToken = true };
        }

        var from = MailComposer.Sender(form.OutgoingName, form.OutgoingAddress, form.Name, form.Address);
        if (!EmailAddress.IsValid(from.Address))
        {
            return AccountTestOutcome.Refused(command.AccountId, AccountViolations.AddressInvalid);
        }

        // The system's default server sends the test only from an allowed domain, as it does the account's mail.
        if (command.NewServer is null && form.OutgoingServerId is null
            && await senders.AllowedAsync(session, cancellationToken) is var allowed && !SenderDomains.Allows(allowed, from.Address))
        {
            return AccountTestOutcome.Refused(command.AccountId, OutgoingViolations.SenderDomainNotAllowed, SenderDomains.Describe(allowed));
        }

        var settings = await MailSettingsQueries.ForUserAsync(session, command.Actor.UserId, cancellationToken);
        var user = await session.LoadAsync<User>(command.Actor.UserId, cancellationToken);
        var signature = settings.FindSignature(form.SignatureId ?? settings.DefaultSignatureId) is { } chosen
            ? SignatureTemplates.Render(chosen.Html, new SignatureValues(user?.DisplayName ?? "", user?.Login ?? "", form.Title ?? "", from.Name ?? "", from.Address, now))
            : null;
        var forwardTo = (form.ForwardTo ?? "").Trim();
        var message = MailComposer.ComposeTest(
            from, MailboxAddress.Parse(recipient), EmailAddress.IsValid(forwardTo) ? MailboxAddress.Parse(forwardTo) : null,
            command.Wording.Subject, command.Wording.Text, signature, settings.PlainText, settings.Charset, out var fellBack);

        var report = await sender.SendAsync(request, message, cancellationToken);
        if (request.PasswordIsToken && report.Failure?.Stage == TestStage.Authentication
            && saved?.Account is { Authorisation: { } authorisation } account && (form.Grant is null || form.Grant.TokenSecretId == authorisation.TokenSecretId)
            && await tokens.ForAsync(account, cancellationToken, refused: request.Password) is { Token: { } renewed })
        {
            // The server refused the saved account's token (revoked early, or the clocks disagree): renewed once and sent again.
            report = await sender.SendAsync(request with { Password = renewed }, message, cancellationToken);
        }
        if (report.Succeeded && fellBack)
        {
            report.Pass(TestStage.Sending, string.Format(System.Globalization.CultureInfo.CurrentCulture, command.Wording.SentInUtf8, settings.Charset.ToUpperInvariant()));
        }

        return AccountTestRecord.Record(
            session, evidence, command.Actor, saved, report, recipient, TestEvidence.Tested(form, command.NewServer, servers, incoming: false), now);
    }

    /// <summary>The server the form chooses, with its password: the one typed for a new server, the stored one for a saved server.</summary>
    private static async Task<SmtpRequest?> RequestAsync(
        SendTestEmail command, IReadOnlyList<OutgoingServer> servers, IQuerySession session, SecretVault vault, TrustedCertificate[] trusted,
        CancellationToken cancellationToken)
    {
        if (command.NewServer is { } added)
        {
            var preset = OutgoingServerDecisions.Preset(added.Kind);
            var security = preset?.Security ?? added.Security;
            var endpoint = preset ?? new ServerEndpoint((added.Host ?? "").Trim(), added.Port ?? OutgoingServerDecisions.DefaultPort(security), security);
            return HostName.IsValid(endpoint.Host)
                ? new SmtpRequest(endpoint, preset is not null || added.UseAuthentication, (added.Login ?? "").Trim(), added.Password?.Reveal() ?? "", trusted)
                : null;
        }

        var server = command.Form.OutgoingServerId is { } serverId
            ? servers.FirstOrDefault(s => s.Id == serverId && !s.IsSystemDefault)
            : await OutgoingServerQueries.SystemDefaultAsync(session, cancellationToken);
        if (server is null)
        {
            return null;
        }

        var password = server.PasswordSecretId is { } secret ? await vault.RevealAsync(session, secret, cancellationToken) ?? "" : "";
        return new SmtpRequest(new ServerEndpoint(server.Host, server.Port, server.Security), server.UseAuthentication, server.Login, password, trusted);
    }
}
