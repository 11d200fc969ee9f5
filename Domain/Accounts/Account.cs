namespace MailAccounts.Domain.Accounts;

/// <summary>An account's settings as its events left them. Immutable: every event yields a new state.</summary>
public sealed record Account(
    Guid Id,
    Guid OwnerId,
    AccountKind Kind,
    string Title,
    string Name,
    string Address)
{
    /// <summary>The title as it is compared for uniqueness among one owner's accounts.</summary>
    public string TitleKey => TitleKeyOf(Title);

    public static string TitleKeyOf(string title) => title.Trim().ToUpperInvariant();

    public static Account? Evolve(Account? state, object @event) => @event switch
    {
        AccountCreated e => new Account(e.AccountId, e.OwnerId, e.Kind, e.Title, e.Name, e.Address),
        _ => state,
    };

    /// <summary>
    /// The settings a person reads, in the order a settings page shows them. History compares two of these
    /// to say what an event changed, so every event type gets its before and after without code of its own.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Settings(Account? state) => state is null
        ? []
        :
        [
            new(nameof(Title), state.Title),
            new(nameof(Name), state.Name),
            new(nameof(Address), state.Address),
        ];
}
