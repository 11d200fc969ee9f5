namespace MailAccounts.Domain.Accounts;

/// <summary>Who asks: a signed-in user, and whether an administrator.</summary>
public sealed record Actor(Guid UserId, bool IsAdministrator);

/// <summary>What a page or a handler wants to do with an account.</summary>
public enum AccountUse
{
    /// <summary>Read its mail, send from it, choose which of its folders to show.</summary>
    Use,

    /// <summary>See and change its settings, test it, trust its certificates, delete it.</summary>
    Configure,

    /// <summary>Read its settings history.</summary>
    Audit,

    /// <summary>Grant and revoke access, deactivate and reactivate.</summary>
    Administer,
}

/// <summary>
/// The one rule of who may do what with an account. An individual account is its owner's: an administrator may see
/// that it exists, read its settings history and deactivate it, but never read its mail or change its settings. A
/// group account is the administrators': the users they granted it to may use it, nothing more. A deleted account
/// is nobody's, and a deactivated one is used by nobody.
/// </summary>
public static class AccountAccess
{
    public static bool Allows(Account account, Actor actor, AccountUse use)
    {
        if (account.Deleted)
        {
            return false;
        }

        var owner = account.OwnerId == actor.UserId;
        return (account.Kind, use) switch
        {
            (AccountKind.Individual, AccountUse.Use) => owner && account.IsActive,
            (AccountKind.Individual, AccountUse.Configure) => owner,
            (AccountKind.Individual, AccountUse.Audit) => owner || actor.IsAdministrator,
            (AccountKind.Group, AccountUse.Use) => account.IsActive && (actor.IsAdministrator || account.IsGrantedTo(actor.UserId)),
            (AccountKind.Group, AccountUse.Configure or AccountUse.Audit) => actor.IsAdministrator,
            (_, AccountUse.Administer) => actor.IsAdministrator,
            _ => false,
        };
    }
}
