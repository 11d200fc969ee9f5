using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.Accounts;

/// <summary>What a person typed to connect a mailbox.</summary>
public sealed record AccountDraft(string? Title, string? Name, string? Address);

public static class AccountDecisions
{
    public const int MaxTitleLength = 100;
    public const int MaxNameLength = 200;

    /// <param name="ownerTitles">The titles of the owner's existing accounts: a title is unique among them.</param>
    public static Decision Create(
        Guid accountId,
        Guid ownerId,
        AccountDraft draft,
        IEnumerable<string> ownerTitles,
        Guid by,
        DateTimeOffset at)
    {
        var title = (draft.Title ?? "").Trim();
        var name = (draft.Name ?? "").Trim();
        var address = (draft.Address ?? "").Trim();

        var violations = new List<Violation>();
        if (title.Length == 0)
        {
            violations.Add(new(nameof(draft.Title), AccountViolations.TitleRequired));
        }
        else if (title.Length > MaxTitleLength)
        {
            violations.Add(new(nameof(draft.Title), AccountViolations.TitleTooLong));
        }
        else if (ownerTitles.Any(t => Account.TitleKeyOf(t) == Account.TitleKeyOf(title)))
        {
            violations.Add(new(nameof(draft.Title), AccountViolations.TitleTaken));
        }

        if (name.Length > MaxNameLength)
        {
            violations.Add(new(nameof(draft.Name), AccountViolations.NameTooLong));
        }

        if (address.Length == 0)
        {
            violations.Add(new(nameof(draft.Address), AccountViolations.AddressRequired));
        }
        else if (!EmailAddress.IsValid(address))
        {
            violations.Add(new(nameof(draft.Address), AccountViolations.AddressInvalid));
        }

        return Decision.AcceptUnless(violations, () =>
            [new AccountCreated(accountId, ownerId, AccountKind.Individual, title, name, address, by, at)]);
    }
}

/// <summary>Stable codes for refused account input; the web host translates them.</summary>
public static class AccountViolations
{
    public const string TitleRequired = "Account.TitleRequired";
    public const string TitleTooLong = "Account.TitleTooLong";
    public const string TitleTaken = "Account.TitleTaken";
    public const string NameTooLong = "Account.NameTooLong";
    public const string AddressRequired = "Account.AddressRequired";
    public const string AddressInvalid = "Account.AddressInvalid";
}
