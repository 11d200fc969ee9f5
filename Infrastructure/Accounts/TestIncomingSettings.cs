using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Secrets;
using MailAccounts.Infrastructure.SignInProviders;

namespace MailAccounts.Infrastructure.Accounts;

/// <summary>
/// Test settings (and Choose folders) on the account form: signs in to the incoming server the form names, with the
/// typed password or, for the server the account is saved with, the stored one. <paramref name="AccountId"/> is null
/// on the Add form. <paramref name="Trust"/> holds the certificates trusted on the form and not saved yet.
/// </summary>
public sealed record TestIncomingSettings(Actor Actor, Guid? AccountId, AccountForm Form, Secret? Password, IReadOnlyList<TrustedCertificate> Trust);

public static class TestIncomingSettingsHandler
{
    public static async Task<AccountTestOutcome> Handle(
        TestIncomingSettings command, IDocumentSession session, SecretVault vault, AccountTokens tokens, IncomingTester tester, MailTestLimiter limiter,
        TestEvidence evidence, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (saved, report, refusal) = await RunAsync(command, session, vault, tokens, tester, limiter, cancellationToken);
        return refusal ?? AccountTestRecord.Record(
            session, evidence, command.Actor, saved, report!, null, TestEvidence.Tested(command.Form, null, [], incoming: true), now);
    }

    /// <summary>The test itself, shared with <see cref="ListServerFolders"/>, which records nothing.</summary>
    internal static async Task<(AccountForForm? Saved, TestReport? Report, AccountTestOutcome? Refusal)> RunAsync(
        TestIncomingSettings command, IQuerySession session, SecretVault vault, AccountTokens tokens, IncomingTester tester, MailTestLimiter limiter,
        CancellationToken cancellationToken)
    {
        var form = command.Form;
        var endpoint = new ServerEndpoint((form.Host ?? "").Trim(), form.Port ?? AccountDecisions.DefaultPort(form.Protocol, form.Security), form.Security);
        // Signed in with a provider on the form, the login is the mailbox it signed in.
        var login = (form.Grant?.Mailbox ?? form.Login ?? "").Trim();
        if (!HostName.IsValid(endpoint.Host) || login.Length == 0)
        {
            return (null, null, AccountTestOutcome.Refused(command.AccountId, AccountTestRefusals.Incomplete));
        }

        var saved = command.AccountId is { } id ? await AccountFormQuery.LoadAsync(session, id, command.Actor, cancellationToken) : null;
        if (command.AccountId is not null && saved is null)
        {
            return (null, null, AccountTestOutcome.Refused(command.AccountId, AccountViolations.Unknown));
        }

        if (!limiter.TryAcquire(command.Actor.UserId, out var retryAfter))
        {
            return (null, null, AccountTestOutcome.Refused(command.AccountId, AccountTestRefusals.TooMany, AccountTestRefusals.Seconds(retryAfter)));
        }

        var sameServer = saved?.Account.Incoming is { } kept && kept.Protocol == form.Protocol && kept.Host == endpoint.Host.ToLowerInvariant()
            && kept.Port == endpoint.Port && kept.Security == endpoint.Security && kept.Login == login;
        var typedPassword = command.Password?.Reveal() is { Length: > 0 };
        // A token goes to the servers of the sign-in that gave it, as a password does: a fresh grant's to the form's,
        // the saved account's only to its saved server.
        if (!typedPassword && (form.Grant is not null || (saved?.Account.Authorisation is not null && sameServer)))
        {
            var token = await FormTokens.ForAsync(session, tokens, command.Actor, form, saved, cancellationToken);
            if (token is null)
            {
                return (null, null, AccountTestOutcome.Refused(command.AccountId, AccountViolations.PasswordRequired));
            }

            var signedIn = await tester.TestAsync(
                new IncomingRequest(form.Protocol, endpoint, login, token, [.. saved?.Account.TrustedCertificates ?? [], .. command.Trust]) { PasswordIsToken = true },
                cancellationToken);
            return (saved, signedIn, null);
        }

        // The saved password goes only to the saved server: a form that names another server must type it again.
        var password = command.Password?.Reveal() is { Length: > 0 } typed
            ? typed
            : saved?.Account.Incoming is { } incoming && incoming.Protocol == form.Protocol && incoming.Host == endpoint.Host.ToLowerInvariant()
                && incoming.Port == endpoint.Port && incoming.Security == endpoint.Security && incoming.Login == login
                ? await vault.RevealAsync(session, incoming.PasswordSecretId, cancellationToken)
                : null;
        if (password is null)
        {
            return (null, null, AccountTestOutcome.Refused(command.AccountId, AccountViolations.PasswordRequired));
        }

        var report = await tester.TestAsync(
            new IncomingRequest(form.Protocol, endpoint, login, password, [.. saved?.Account.TrustedCertificates ?? [], .. command.Trust]), cancellationToken);
        return (saved, report, null);
    }
}
