using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.Accounts;

// SaveAccount's details part: the account's title, and the name and address its mail comes from.
public static partial class AccountDecisions
{
    public const int MaxTitleLength = 100;
    public const int MaxNameLength = 200;

    /// <summary>A title is required and unique among the owner's accounts whatever its case.</summary>
    private static IEnumerable<Violation> ValidateDetails(NormalisedForm form, AccountContext context)
    {
        if (form.Title.Length == 0)
        {
            yield return new Violation(nameof(AccountForm.Title), AccountViolations.TitleRequired);
        }
        else if (form.Title.Length > MaxTitleLength)
        {
            yield return new Violation(nameof(AccountForm.Title), AccountViolations.TitleTooLong);
        }
        else if (context.OwnerTitles.Any(t => Account.TitleKeyOf(t) == Account.TitleKeyOf(form.Title)))
        {
            yield return new Violation(nameof(AccountForm.Title), AccountViolations.TitleTaken);
        }

        if (form.Name.Length > MaxNameLength)
        {
            yield return new Violation(nameof(AccountForm.Name), AccountViolations.NameTooLong);
        }

        foreach (var violation in CheckAddress(form.Address, nameof(AccountForm.Address), AccountViolations.AddressRequired))
        {
            yield return violation;
        }
    }

    /// <summary>A new account starts with <see cref="AccountCreated"/>; an edit says <see cref="AccountDetailsChanged"/> only when they did.</summary>
    private static IEnumerable<object> DecideDetails(Guid accountId, Guid ownerId, Account? current, NormalisedForm form, Guid by, DateTimeOffset at)
    {
        if (current is null)
        {
            yield return new AccountCreated(accountId, ownerId, form.Kind, form.Title, form.Name, form.Address, by, at);
        }
        else if (current.Title != form.Title || current.Name != form.Name || current.Address != form.Address)
        {
            yield return new AccountDetailsChanged(accountId, form.Title, form.Name, form.Address, by, at);
        }
    }
}
