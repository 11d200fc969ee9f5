using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using JasperFx.Events.Projections;
using Marten.Schema;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Infrastructure.Common;

namespace MailAccounts.Infrastructure.Accounts;

public static class Configuration
{
    private const string OwnerTitleIndex = "account_owner_title";

    /// <summary>What a commit refused by the module's unique indexes means to the person saving.</summary>
    public static readonly KeyValuePair<string, Violation>[] UniqueIndexRefusals =
        [new(OwnerTitleIndex, new Violation(nameof(AccountForm.Title), AccountViolations.TitleTaken))];

    public static StoreOptions ConfigureAccounts(this StoreOptions options)
    {
        // Inline: the account list must show an account the moment its page saved it.
        options.Projections.Add(new AccountProjection(), ProjectionLifecycle.Inline);
        options.Projections.Add(new AccountHealthProjection(), ProjectionLifecycle.Inline);
        options.Schema.For<Account>()
            .Index(a => a.OwnerId)
            // Two tabs creating the same title at once: the second commit fails instead of both succeeding.
            .UniqueIndex(UniqueIndexType.Computed, OwnerTitleIndex, a => a.OwnerId, a => a.TitleKey);
        return options;
    }
}

/// <summary>Marten's entry to the pure <see cref="Account.Evolve"/>; the domain assembly has no Marten to generate one.</summary>
public sealed class AccountProjection : SingleStreamProjection<Account, Guid>
{
    // Only the events Evolve reads. Marten then leaves the document alone in a commit that has none of them (a test's
    // outcome touches only the health), and a rebuild reads only these rows instead of every event in the store.
    public AccountProjection() => IncludedEventTypes.AddRange(Account.ChangedBy);

    public override Account? Evolve(Account? snapshot, Guid id, IEvent e) => Account.Evolve(snapshot, e.Data);
}

/// <summary>Marten's entry to the pure <see cref="AccountHealth.Evolve"/>: a second view of the account's stream.</summary>
public sealed class AccountHealthProjection : SingleStreamProjection<AccountHealth, Guid>
{
    public AccountHealthProjection() => IncludedEventTypes.AddRange(AccountHealth.ChangedBy);

    public override AccountHealth? Evolve(AccountHealth? snapshot, Guid id, IEvent e) => AccountHealth.Evolve(snapshot, e.Data);
}
