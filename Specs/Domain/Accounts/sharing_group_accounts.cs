using MailAccounts.Domain.Accounts;

namespace MailAccounts.Specs.Domain.Accounts;

public sealed class sharing_group_accounts
{
    private static readonly Guid Owner = Guid.NewGuid();
    private static readonly Guid Granted = Guid.NewGuid();
    private static readonly Guid Stranger = Guid.NewGuid();
    private static readonly Guid Administrator = Guid.NewGuid();
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    private static Account Created(AccountKind kind) =>
        Account.Evolve(null, new AccountCreated(Guid.NewGuid(), kind == AccountKind.Group ? Administrator : Owner, kind, "Box", "Box", "box@example.com", Owner, Now))!;

    private static Account Group(params Func<Account, object>[] events)
    {
        var account = Created(AccountKind.Group);
        return events.Aggregate(account, (state, e) => Account.Evolve(state, e(state))!);
    }

    [Theory]
    [InlineData("owner", AccountUse.Use, true)]
    [InlineData("owner", AccountUse.Configure, true)]
    [InlineData("owner", AccountUse.Audit, true)]
    [InlineData("owner", AccountUse.Administer, false)]
    [InlineData("stranger", AccountUse.Use, false)]
    [InlineData("stranger", AccountUse.Configure, false)]
    [InlineData("stranger", AccountUse.Audit, false)]
    [InlineData("administrator", AccountUse.Use, false)]
    [InlineData("administrator", AccountUse.Configure, false)]
    [InlineData("administrator", AccountUse.Audit, true)]
    [InlineData("administrator", AccountUse.Administer, true)]
    public void an_individual_account_is_its_owners_and_an_administrator_only_sees_that_it_exists(string who, AccountUse use, bool allowed)
    {
        var viewer = who switch
        {
            "owner" => new Actor(Owner, false),
            "administrator" => new Actor(Administrator, true),
            _ => new Actor(Stranger, false),
        };

        AccountAccess.Allows(Created(AccountKind.Individual), viewer, use).ShouldBe(allowed);
    }

    [Theory]
    [InlineData("granted", AccountUse.Use, true)]
    [InlineData("granted", AccountUse.Configure, false)]
    [InlineData("granted", AccountUse.Audit, false)]
    [InlineData("granted", AccountUse.Administer, false)]
    [InlineData("revoked", AccountUse.Use, false)]
    [InlineData("stranger", AccountUse.Use, false)]
    [InlineData("administrator", AccountUse.Use, true)]
    [InlineData("administrator", AccountUse.Configure, true)]
    [InlineData("administrator", AccountUse.Audit, true)]
    [InlineData("administrator", AccountUse.Administer, true)]
    public void a_group_account_is_the_administrators_and_granted_users_may_only_use_it(string who, AccountUse use, bool allowed)
    {
        var revoked = Guid.NewGuid();
        var account = Group(
            a => new AccessGranted(a.Id, Granted, Administrator, Now),
            a => new AccessGranted(a.Id, revoked, Administrator, Now),
            a => new AccessRevoked(a.Id, revoked, Administrator, Now));
        var viewer = who switch
        {
            "granted" => new Actor(Granted, false),
            "revoked" => new Actor(revoked, false),
            "administrator" => new Actor(Guid.NewGuid(), true),
            _ => new Actor(Stranger, false),
        };

        AccountAccess.Allows(account, viewer, use).ShouldBe(allowed);
    }

    [Fact]
    public void a_deactivated_account_is_used_by_nobody_and_a_deleted_one_is_nobodys()
    {
        var individual = Account.Evolve(Created(AccountKind.Individual), new AccountDeactivated(Guid.Empty, "Left the company", Administrator, Now))!;
        AccountAccess.Allows(individual, new Actor(Owner, false), AccountUse.Use).ShouldBeFalse();
        AccountAccess.Allows(individual, new Actor(Owner, false), AccountUse.Configure).ShouldBeTrue();

        var group = Group(a => new AccessGranted(a.Id, Granted, Administrator, Now), a => new AccountDeactivated(a.Id, "Moved", Administrator, Now));
        AccountAccess.Allows(group, new Actor(Granted, false), AccountUse.Use).ShouldBeFalse();
        AccountAccess.Allows(group, new Actor(Administrator, true), AccountUse.Use).ShouldBeFalse();

        var deleted = Account.Evolve(Created(AccountKind.Individual), new AccountDeleted(Guid.Empty, Owner, Now))!;
        foreach (var use in Enum.GetValues<AccountUse>())
        {
            AccountAccess.Allows(deleted, new Actor(Owner, false), use).ShouldBeFalse();
            AccountAccess.Allows(deleted, new Actor(Administrator, true), use).ShouldBeFalse();
        }
    }

    [Fact]
    public void access_is_granted_to_group_accounts_only_and_once()
    {
        var group = Created(AccountKind.Group);
        AccountDecisions.GrantAccess(group, Granted, Administrator, Now).Events.ShouldBe([new AccessGranted(group.Id, Granted, Administrator, Now)]);

        var granted = Account.Evolve(group, new AccessGranted(group.Id, Granted, Administrator, Now));
        AccountDecisions.GrantAccess(granted, Granted, Administrator, Now).Events.ShouldBeEmpty();
        AccountDecisions.RevokeAccess(granted, Granted, Administrator, Now).Events.ShouldBe([new AccessRevoked(group.Id, Granted, Administrator, Now)]);
        AccountDecisions.RevokeAccess(group, Granted, Administrator, Now).Events.ShouldBeEmpty();

        AccountDecisions.GrantAccess(Created(AccountKind.Individual), Granted, Administrator, Now).ShouldBeRefusedWith("", AccountViolations.NotGroup);
    }

    [Fact]
    public void deactivation_needs_a_reason_and_reactivation_undoes_it()
    {
        var account = Created(AccountKind.Individual);
        AccountDecisions.DeactivateAccount(account, "  ", Administrator, Now).ShouldBeRefusedWith("Reason", AccountViolations.ReasonRequired);
        AccountDecisions.DeactivateAccount(account, new string('x', 501), Administrator, Now).ShouldBeRefusedWith("Reason", AccountViolations.ReasonTooLong);

        var decision = AccountDecisions.DeactivateAccount(account, " Left the company ", Administrator, Now);
        decision.Events.ShouldBe([new AccountDeactivated(account.Id, "Left the company", Administrator, Now)]);
        var deactivated = Account.Evolve(account, decision.Events[0])!;
        deactivated.IsActive.ShouldBeFalse();
        AccountDecisions.ReactivateAccount(deactivated, Administrator, Now).Events.ShouldBe([new AccountReactivated(account.Id, Administrator, Now)]);
        AccountDecisions.ReactivateAccount(account, Administrator, Now).Events.ShouldBeEmpty();
    }
}
