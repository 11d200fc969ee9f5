using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using JasperFx.Events.Projections;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Common;
using Marten.Schema;

namespace MailAccounts.Infrastructure.Users;

public static class Configuration
{
    private const string LoginIndex = "user_login";

    /// <summary>What a commit refused by the module's unique indexes means to the person saving.</summary>
    public static readonly KeyValuePair<string, Violation>[] UniqueIndexRefusals =
        [new(LoginIndex, new Violation(nameof(UserDraft.Login), UserViolations.LoginTaken))];

    public static StoreOptions ConfigureUsers(this StoreOptions options)
    {
        options.Projections.Add(new UserProjection(), ProjectionLifecycle.Inline);
        // The index makes two administrators who register the same login at once fail, not both succeed.
        options.Schema.For<User>().UniqueIndex(UniqueIndexType.Computed, LoginIndex, u => u.LoginKey);
        options.Schema.For<UserCredentials>();
        options.Schema.For<SignInSession>().Index(s => s.UserId);
        return options;
    }
}

/// <summary>Marten's entry to the pure <see cref="User.Evolve"/>; the domain assembly has no Marten to generate one.</summary>
public sealed class UserProjection : SingleStreamProjection<User, Guid>
{
    public UserProjection() => IncludedEventTypes.AddRange(User.ChangedBy);

    public override User? Evolve(User? snapshot, Guid id, IEvent e) => User.Evolve(snapshot, e.Data);
}
