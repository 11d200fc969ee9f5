using JasperFx.Events;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Outgoing;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Outgoing;
using MailAccounts.Infrastructure.Secrets;
using MailAccounts.Infrastructure.Settings;

namespace MailAccounts.Infrastructure.Accounts;

/// <summary>
/// Done on the account form: creates the account (no <paramref name="AccountId"/>) or saves the changes to it.
/// <paramref name="ExpectedVersion"/> is the version the form was loaded at: a form saved over someone else's
/// change is refused rather than silently undoing it. The password travels beside the <paramref name="Form"/> as a
/// <see cref="Secret"/> (the form's <see cref="AccountForm.NewPasswordSecretId"/> is the handler's to set).
/// <paramref name="NewServer"/> is an outgoing server added from the same form, created with the account.
/// <paramref name="TestEvidence"/> holds the sealed results of tests run on the Add form before the account existed.
/// </summary>
public sealed record SaveAccount(
    Actor Actor,
    Guid? AccountId,
    long? ExpectedVersion,
    AccountForm Form,
    Secret? Password,
    OutgoingServerFields? NewServer,
    IReadOnlyList<TrustedCertificate>? TrustCertificates = null,
    IReadOnlyList<string>? TestEvidence = null);

public static class SaveAccountHandler
{
    public const string NewServerPrefix = "NewServer.";

    public static async Task<Outcome> Handle(
        SaveAccount command, IDocumentSession session, SecretVault vault, SenderDomainPolicy senders, TestEvidence evidence, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var accountId = command.AccountId ?? Guid.CreateVersion7();
        IEventStream<Account>? stream = null;
        if (command.AccountId is { } id)
        {
            stream = command.ExpectedVersion is { } version
                ? await session.Events.FetchForWriting<Account>(id, version, cancellationToken)
                : await session.Events.FetchForWriting<Account>(id, cancellationToken);
            if (stream.Aggregate is not { } existing || !AccountAccess.Allows(existing, command.Actor, AccountUse.Configure))
            {
                return new Outcome(id, [new Violation("", AccountViolations.Unknown)]);
            }
        }
        else if (command.Form.Kind == AccountKind.Group && !command.Actor.IsAdministrator)
        {
            // Only administrators connect the organisation's mailboxes.
            return new Outcome(accountId, [new Violation("", AccountViolations.Unknown)]);
        }

        var current = stream?.Aggregate;
        var actorId = command.Actor.UserId;

        // A group account stays its creator's: another administrator editing it chooses among the same servers.
        var ownerId = current?.OwnerId ?? actorId;
        var servers = await OutgoingServerQueries.VisibleToAsync(session, ownerId, cancellationToken);
        var visibleServers = servers.Where(s => !s.IsSystemDefault).Select(s => s.Id).ToHashSet();
        var ownerTitles = await session.Query<Account>()
            .Where(a => a.OwnerId == ownerId && !a.Deleted && a.Id != accountId)
            .Select(a => a.Title)
            .ToListAsync(cancellationToken);

        // An outgoing server added on the same form is decided first: the account then refers to it.
        var serverId = command.Form.OutgoingServerId;
        Decision? serverDecision = null;
        Guid? serverSecret = null;
        if (command.NewServer is { } newServer)
        {
            serverId = Guid.CreateVersion7();
            serverSecret = newServer.HasPassword ? Guid.CreateVersion7() : null;
            serverDecision = OutgoingServerDecisions.Configure(serverId.Value, ownerId, null, newServer.ToForm(serverSecret), actorId, now);
            visibleServers.Add(serverId.Value);
        }

        var deactivated = await session.Query<Account>()
            .Where(a => a.OwnerId == ownerId && !a.Deleted && a.Id != accountId && a.DeactivationReason != null)
            .ToListAsync(cancellationToken);
        var signatures = (await MailSettingsQueries.ForUserAsync(session, actorId, cancellationToken)).Signatures.Select(s => s.Id).ToHashSet();
        Guid? passwordSecret = command.Password is { } password && password.Reveal().Length > 0 ? Guid.CreateVersion7() : null;

        // A grant names a token set by reference: only the actor's own sign-in may be saved on an account.
        if (command.Form.Grant is { } grant && current?.Authorisation?.TokenSecretId != grant.TokenSecretId
            && (await session.LoadAsync<ProtectedSecret>(grant.TokenSecretId, cancellationToken))?.OwnerId != actorId)
        {
            return new Outcome(accountId, [new Violation("", AccountViolations.Unknown)]);
        }

        var decision = AccountDecisions.SaveAccount(
            accountId, ownerId, current, command.Form with { NewPasswordSecretId = passwordSecret, OutgoingServerId = serverId },
            new AccountContext(ownerTitles, visibleServers, signatures, deactivated, await senders.AllowedAsync(session, cancellationToken)), actorId, now);

        // Certificates the user chose to trust while filling in the form are recorded with the save.
        var saved = decision.Events.Aggregate(current, Account.Evolve);
        var trusts = new List<Decision>();
        foreach (var trust in command.TrustCertificates ?? [])
        {
            var trusted = AccountDecisions.TrustCertificate(saved, trust.Host, trust.Fingerprint, actorId, now);
            saved = trusted.Events.Aggregate(saved, Account.Evolve);
            trusts.Add(trusted);
        }

        var violations = decision.Violations
            .Concat(serverDecision?.Violations.Select(v => v with { Field = NewServerPrefix + v.Field }) ?? [])
            .Concat(decision.IsAccepted ? trusts.SelectMany(t => t.Violations) : [])
            .ToArray();
        if (violations.Length > 0)
        {
            return new Outcome(accountId, violations);
        }

        if (serverDecision is not null)
        {
            session.Events.StartStream<OutgoingServer>(serverId!.Value, serverDecision.Events.ToArray());
            if (serverSecret is { } secret)
            {
                vault.Store(session, secret, ownerId, command.NewServer!.Password!.Reveal());
            }
        }

        if (passwordSecret is { } accountSecret)
        {
            vault.Store(session, accountSecret, ownerId, command.Password!.Reveal());
            vault.Forget(session, current?.Incoming?.PasswordSecretId);
            // A typed password replaces signing in with a provider: its tokens go with it.
            vault.Forget(session, current?.Authorisation?.TokenSecretId);
        }

        if (decision.Events.OfType<AccountAuthorised>().Any())
        {
            // Signed in with a provider instead: the password or the earlier tokens are no longer referred to.
            vault.Forget(session, current?.Incoming?.PasswordSecretId);
            vault.Forget(session, current?.Authorisation?.TokenSecretId);
        }

        object[] events =
        [
            .. decision.Events,
            .. trusts.SelectMany(t => t.Events),
            .. (command.AccountId is null ? command.TestEvidence ?? [] : [])
                .Distinct()
                .Select(token => evidence.Open(token, actorId, command.Form, command.NewServer, servers))
                .OfType<RecordedTest>()
                .Select(test => AccountTestRecord.Event(accountId, test)),
        ];
        if (stream is null)
        {
            session.Events.StartStream<Account>(accountId, events);
        }
        else
        {
            stream.AppendMany(events);
        }

        return new Outcome(accountId, []);
    }
}
