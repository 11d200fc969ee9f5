using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Import;
using MailAccounts.Domain.Outgoing;
using MailAccounts.Domain.Settings;
using MailAccounts.Domain.Sending;
using MailAccounts.Domain.SignInProviders;
using MailAccounts.Domain.Users;
using MailAccounts.Domain.Contacts;
using MailAccounts.Domain.Verification;
using ContactState = MailAccounts.Domain.Contacts.Contact;
using AccountState = MailAccounts.Domain.Accounts.Account;
using LetterState = MailAccounts.Domain.Import.Letter;
using QuarantinedState = MailAccounts.Domain.Import.QuarantinedMessage;
using MailSettingsState = MailAccounts.Domain.Settings.MailSettings;
using OutgoingServerState = MailAccounts.Domain.Outgoing.OutgoingServer;
using SignInProviderState = MailAccounts.Domain.SignInProviders.SignInProvider;
using UserState = MailAccounts.Domain.Users.User;

namespace MailAccounts.Specs.Events;

/// <summary>An aggregate as the replay specs drive it: its pure Evolve, and what of its state a person would see.</summary>
/// <param name="Describe">The state as text, to tell whether an event changed it.</param>
/// <param name="CreationEvent">The event that starts its stream, if one does.</param>
/// <param name="Created">Its state once created, before any other event.</param>
/// <param name="StreamId">The stream its samples belong to.</param>
public sealed record Aggregate(
    string Name,
    Type StateType,
    Func<object?, object, object?> Evolve,
    Func<object?, string> Describe,
    Type? CreationEvent,
    Func<object?> Created,
    Func<Guid> StreamId)
{
    public override string ToString() => Name;
}

public static class EventReplay
{
    public static readonly Aggregate Account = new(
        "Account",
        typeof(AccountState),
        (state, e) => AccountState.Evolve((AccountState?)state, e),
        state => Lines(AccountState.Settings((AccountState?)state)),
        typeof(AccountCreated),
        () => AccountState.Evolve(null, EventSchemas.Sample(typeof(AccountCreated))),
        () => EventSchemas.SampleGuid(nameof(AccountCreated.AccountId)));

    public static readonly Aggregate MailSettings = new(
        "MailSettings",
        typeof(MailSettingsState),
        (state, e) => MailSettingsState.Evolve((MailSettingsState?)state, e),
        state => Lines(MailSettingsState.Settings((MailSettingsState?)state)),
        null,
        // A user's settings exist from the start, as the defaults; every event changes them.
        () => MailSettingsState.Defaults(EventSchemas.SampleGuid(nameof(IUserSettingsEvent.UserId))),
        () => MailSettingsState.StreamFor(EventSchemas.SampleGuid(nameof(IUserSettingsEvent.UserId))));

    public static readonly Aggregate User = new(
        "User",
        typeof(UserState),
        (state, e) => UserState.Evolve((UserState?)state, e),
        // Every member of User is a value, so its text says all of it.
        state => state?.ToString() ?? "",
        typeof(UserRegistered),
        () => UserState.Evolve(null, EventSchemas.Sample(typeof(UserRegistered))),
        () => EventSchemas.SampleGuid(nameof(UserRegistered.UserId)));

    public static readonly Aggregate OutgoingServer = new(
        "OutgoingServer",
        typeof(OutgoingServerState),
        (state, e) => OutgoingServerState.Evolve((OutgoingServerState?)state, e),
        state => Lines(OutgoingServerState.Settings((OutgoingServerState?)state)),
        typeof(OutgoingServerConfigured),
        () => OutgoingServerState.Evolve(null, EventSchemas.Sample(typeof(OutgoingServerConfigured))),
        () => EventSchemas.SampleGuid(nameof(OutgoingServerConfigured.ServerId)));

    public static readonly Aggregate SignInProvider = new(
        "SignInProvider",
        typeof(SignInProviderState),
        (state, e) => SignInProviderState.Evolve((SignInProviderState?)state, e),
        state => Lines(SignInProviderState.Settings((SignInProviderState?)state)),
        typeof(SignInProviderConfigured),
        () => SignInProviderState.Evolve(null, EventSchemas.Sample(typeof(SignInProviderConfigured))),
        () => EventSchemas.SampleGuid(nameof(SignInProviderConfigured.ProviderId)));

    public static readonly Aggregate Letter = new(
        "Letter",
        typeof(LetterState),
        (state, e) => LetterState.Evolve((LetterState?)state, e),
        // Every member shows, the places and accounts among them: a letter's state is its document.
        state => state is null ? "" : System.Text.Json.JsonSerializer.Serialize(state),
        typeof(LetterImported),
        () => LetterState.Evolve(null, EventSchemas.Sample(typeof(LetterImported))),
        () => EventSchemas.SampleGuid(nameof(LetterImported.LetterId)));

    public static readonly Aggregate Quarantined = new(
        "QuarantinedMessage",
        typeof(QuarantinedState),
        (state, e) => QuarantinedState.Evolve((QuarantinedState?)state, e),
        state => state is null ? "" : System.Text.Json.JsonSerializer.Serialize(state),
        typeof(MessageQuarantined),
        () => QuarantinedState.Evolve(null, EventSchemas.Sample(typeof(MessageQuarantined))),
        () => EventSchemas.SampleGuid(nameof(MessageQuarantined.QuarantineId)));

    public static readonly Aggregate Contact = new(
        "Contact",
        typeof(ContactState),
        (state, e) => ContactState.Evolve((ContactState?)state, e),
        state => state is null ? "" : System.Text.Json.JsonSerializer.Serialize(state),
        typeof(ContactAdded),
        () => ContactState.Evolve(null, EventSchemas.Sample(typeof(ContactAdded))),
        () => EventSchemas.SampleGuid(nameof(ContactAdded.ContactId)));

    // An address's stream is named by the address: any of its events may be the first.
    public static readonly Aggregate Address = new(
        "AddressState",
        typeof(AddressState),
        (state, e) => AddressState.Evolve((AddressState?)state, e),
        state => state is null ? "" : System.Text.Json.JsonSerializer.Serialize(state),
        null,
        () => null,
        () => AddressVerification.IdOf(((AddressBounced)EventSchemas.Sample(typeof(AddressBounced))).Address));

    public static readonly IReadOnlyList<Aggregate> Aggregates = [Account, MailSettings, User, OutgoingServer, SignInProvider, Letter, Quarantined, Contact, Address];

    // The quarantine's events share the namespace of imported mail, but go to a stream of their own.
    private static readonly Dictionary<string, Aggregate> ByType = new()
    {
        [typeof(MessageQuarantined).FullName!] = Quarantined,
        [typeof(QuarantineRetryAsked).FullName!] = Quarantined,
        [typeof(QuarantinedMessageImported).FullName!] = Quarantined,
    };

    // Which aggregate's stream an event goes to, by the namespace it is declared in or under (sending outcomes go to
    // the account they were sent from). A namespace missing here fails the replay specs until it is added.
    private static readonly Dictionary<string, Aggregate> ByNamespace = new()
    {
        [typeof(AccountCreated).Namespace!] = Account,
        [typeof(MailSent).Namespace!] = Account,
        [typeof(CheckIntervalChanged).Namespace!] = MailSettings,
        [typeof(UserRegistered).Namespace!] = User,
        [typeof(OutgoingServerConfigured).Namespace!] = OutgoingServer,
        [typeof(SignInProviderConfigured).Namespace!] = SignInProvider,
        [typeof(LetterImported).Namespace!] = Letter,
        [typeof(ContactAdded).Namespace!] = Contact,
        [typeof(AddressBounced).Namespace!] = Address,
    };

    // Events that change something only once another has happened: an undo, an edit, a choice among what exists.
    private static readonly Dictionary<Type, Type[]> Givens = new()
    {
        [typeof(AccessRevoked)] = [typeof(AccessGranted)],
        [typeof(AccountReactivated)] = [typeof(AccountDeactivated)],
        [typeof(UserReactivated)] = [typeof(UserDeactivated)],
        [typeof(SignatureEdited)] = [typeof(SignatureCreated)],
        [typeof(SignatureDeleted)] = [typeof(SignatureCreated)],
        [typeof(DefaultSignatureChosen)] = [typeof(SignatureCreated)],
        [typeof(QuarantinedMessageImported)] = [typeof(MessageQuarantined)],
        // Only an account that signs in with a provider can lose its authorisation or be reconnected.
        [typeof(AuthorisationLost)] = [typeof(AccountAuthorised)],
        [typeof(AccountReconnected)] = [typeof(AccountAuthorised), typeof(AuthorisationLost)],
    };

    // Earlier events that must name what the event names, where samples of two types would not: a contact's second
    // address, to remove or to make the primary one, is the address the event names.
    private static readonly Dictionary<Type, Func<object, object[]>> GivenFor = new()
    {
        [typeof(ContactAddressRemoved)] = e => [(ContactAddressAdded)EventSchemas.Sample(typeof(ContactAddressAdded)) with { Address = ((ContactAddressRemoved)e).Address }],
        [typeof(ContactPrimaryAddressChosen)] = e =>
            [(ContactAddressAdded)EventSchemas.Sample(typeof(ContactAddressAdded)) with { Address = ((ContactPrimaryAddressChosen)e).Address }],
    };

    /// <summary>
    /// Events that by design leave the state as it was: outcomes of talking to a server are read by the history,
    /// and a new password lives in the user's credentials document, not in the user.
    /// </summary>
    private static bool LeavesStateAlone(Type eventType) =>
        typeof(IOutcomeEvent).IsAssignableFrom(eventType) || eventType == typeof(UserPasswordReset)
        || eventType == typeof(MailAccounts.Domain.Sending.MailSendingUndone);

    /// <summary>The aggregate of an event type (by its full name), or of the nearest namespace that encloses it.</summary>
    public static Aggregate? AggregateFor(string eventFullName)
    {
        if (ByType.TryGetValue(eventFullName, out var own))
        {
            return own;
        }

        for (var name = eventFullName; name.Length > 0; name = name.LastIndexOf('.') is var dot and > 0 ? name[..dot] : "")
        {
            if (ByNamespace.TryGetValue(name, out var aggregate))
            {
                return aggregate;
            }
        }

        return null;
    }

    /// <summary>
    /// Runs one event through its aggregate's Evolve, from the state the aggregate has once created (and once the
    /// events it depends on happened): null when it replays and changes what it should, else what went wrong.
    /// </summary>
    public static string? ReplayProblem(object @event)
    {
        var type = @event.GetType();
        if (AggregateFor(type.FullName!) is not { } aggregate)
        {
            return $"No aggregate replays the events of {type.Namespace} ({type.Name}): add the namespace to EventReplay.ByNamespace.";
        }

        object? before = null;
        if (type != aggregate.CreationEvent)
        {
            var givens = GivenFor.TryGetValue(type, out var given) ? given(@event) : Givens.GetValueOrDefault(type, []).Select(EventSchemas.Sample);
            before = givens.Aggregate(aggregate.Created(), (state, earlier) => aggregate.Evolve(state, earlier));
        }

        object? after;
        try
        {
            after = aggregate.Evolve(before, @event);
        }
        catch (Exception exception)
        {
            return $"{aggregate.Name}.Evolve fails on {type.Name}: {exception}";
        }

        if (after is null)
        {
            return $"{aggregate.Name}.Evolve returned no state for {type.Name}.";
        }

        if (!LeavesStateAlone(type) && aggregate.Describe(before) == aggregate.Describe(after))
        {
            return $"""
                {type.Name} left the {aggregate.Name} as it was:
                {aggregate.Describe(after)}
                If Evolve handles it, it may need an earlier event to have an effect: name that in EventReplay.Givens.
                If it is meant to change nothing, say so in EventReplay.LeavesStateAlone.
                """;
        }

        return null;
    }

    /// <summary>
    /// What is lost when <paramref name="stored"/> was read as <paramref name="read"/> without an upcaster: members of
    /// the stored JSON that do not come back, and members of the event the JSON does not have, which would read as
    /// null or a default that nobody chose.
    /// </summary>
    public static IReadOnlyList<string> LossProblems(StoreOptions options, object read, JsonObject stored)
    {
        var type = read.GetType();
        var again = JsonNode.Parse(options.Serializer().ToJson(read))!.AsObject();
        var problems = new List<string>();
        foreach (var (member, value) in stored)
        {
            if (!again.TryGetPropertyValue(member, out var now))
            {
                problems.Add($"\"{member}\" of the stored form is not read by {type.Name}: it would be lost.");
            }
            else if (!JsonNode.DeepEquals(value, now))
            {
                problems.Add($"\"{member}\" is stored as {Json(value)} but reads back as {Json(now)}.");
            }
        }

        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var nullability = new NullabilityInfoContext();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var parameter = constructor.GetParameters().FirstOrDefault(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase));
            var isData = parameter is not null || property.SetMethod is { IsPublic: true };
            if (!isData || stored.ContainsKey(property.Name) || parameter is { HasDefaultValue: true })
            {
                continue;
            }

            var mayBeNull = Nullable.GetUnderlyingType(property.PropertyType) is not null
                || (!property.PropertyType.IsValueType && nullability.Create(property).ReadState != NullabilityState.NotNull);
            if (!mayBeNull)
            {
                problems.Add($"{type.Name}.{property.Name} is not in the stored form and would read as {Json(again[property.Name])}: "
                    + "make it nullable or give it a default, or upcast the stored form.");
            }
        }

        return problems;
    }

    private static string Json(JsonNode? node) => node?.ToJsonString() ?? "null";

    private static string Lines(IEnumerable<KeyValuePair<string, string>> settings) =>
        string.Join("\n", settings.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key}={s.Value}")));
}
