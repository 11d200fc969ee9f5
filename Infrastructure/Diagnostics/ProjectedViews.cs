using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Import;
using MailAccounts.Domain.Outgoing;
using MailAccounts.Domain.Settings;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Import;
using MailAccounts.Infrastructure.Outgoing;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.Infrastructure.Users;

namespace MailAccounts.Infrastructure.Diagnostics;

/// <summary>
/// A document the pages read that is projected from one stream per document: how to find its streams, and the
/// pure Evolve that builds it. Diagnostics replay these; Marten's projection of the same name rebuilds them.
/// </summary>
public sealed record ProjectedView(
    string Name,
    Type Projection,
    Type Document,
    Func<IQuerySession, CancellationToken, Task<IReadOnlyList<Guid>>> Streams,
    Func<object?, object, object?> Evolve,
    Func<IQuerySession, Guid, CancellationToken, Task<object?>> Load);

public static class ProjectedViews
{
    public static readonly IReadOnlyList<ProjectedView> All =
    [
        View<Account, AccountProjection>("Accounts", Account.Evolve, StreamsStartedBy<AccountCreated>(e => e.AccountId)),
        View<AccountHealth, AccountHealthProjection>("Account health", AccountHealth.Evolve, StreamsStartedBy<AccountCreated>(e => e.AccountId)),
        View<User, UserProjection>("Users", User.Evolve, StreamsStartedBy<UserRegistered>(e => e.UserId)),
        View<OutgoingServer, OutgoingServerProjection>("Outgoing servers", OutgoingServer.Evolve, StreamsStartedBy<OutgoingServerConfigured>(e => e.ServerId)),
        View<MailSettings, MailSettingsProjection>("General settings", MailSettings.Evolve, async (session, cancellationToken) =>
        {
            // A settings stream's id is derived from its user's; only users who changed a setting have one.
            var users = await session.Events.QueryRawEventDataOnly<UserRegistered>().Select(e => e.UserId).ToListAsync(cancellationToken);
            var streams = new List<Guid>();
            foreach (var user in users)
            {
                if (await session.Events.FetchStreamStateAsync(MailSettings.StreamFor(user), cancellationToken) is not null)
                {
                    streams.Add(MailSettings.StreamFor(user));
                }
            }

            return streams;
        }),
        View<Letter, LetterProjection>("Imported mail", Letter.Evolve, StreamsStartedBy<LetterImported>(e => e.LetterId)),
        View<QuarantinedMessage, QuarantineProjection>("Could not import", QuarantinedMessage.Evolve, StreamsStartedBy<MessageQuarantined>(e => e.QuarantineId)),
        View<MailAccounts.Domain.Contacts.Contact, MailAccounts.Infrastructure.Contacts.ContactProjection>(
            "Contacts", MailAccounts.Domain.Contacts.Contact.Evolve, StreamsStartedBy<MailAccounts.Domain.Contacts.ContactAdded>(e => e.ContactId)),
        View<MailAccounts.Domain.Verification.AddressState, MailAccounts.Infrastructure.Verification.AddressStateProjection>(
            "Address verification", MailAccounts.Domain.Verification.AddressState.Evolve, async (session, cancellationToken) =>
            {
                // An address's stream is named by the address: every stream starts with a bounce or a clearing.
                var bounced = await session.Events.QueryRawEventDataOnly<MailAccounts.Domain.Verification.AddressBounced>().Select(e => e.Address).ToListAsync(cancellationToken);
                var cleared = await session.Events.QueryRawEventDataOnly<MailAccounts.Domain.Verification.AddressMarkedValid>().Select(e => e.Address).ToListAsync(cancellationToken);
                return bounced.Concat(cleared).Select(MailAccounts.Domain.Verification.AddressVerification.IdOf).Distinct().ToArray();
            }),
    ];

    private static ProjectedView View<TDocument, TProjection>(
        string name, Func<TDocument?, object, TDocument?> evolve, Func<IQuerySession, CancellationToken, Task<IReadOnlyList<Guid>>> streams)
        where TDocument : class =>
        new(name, typeof(TProjection), typeof(TDocument), streams, (state, e) => evolve((TDocument?)state, e),
            async (session, id, cancellationToken) => await session.LoadAsync<TDocument>(id, cancellationToken));

    private static Func<IQuerySession, CancellationToken, Task<IReadOnlyList<Guid>>> StreamsStartedBy<TEvent>(Func<TEvent, Guid> stream)
        where TEvent : class =>
        async (session, cancellationToken) =>
            (await session.Events.QueryRawEventDataOnly<TEvent>().ToListAsync(cancellationToken)).Select(stream).Distinct().ToArray();
}
