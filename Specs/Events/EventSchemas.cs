using System.Collections;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Marten;
using Marten.Events;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Settings;
using MailAccounts.Infrastructure.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Events;

/// <summary>
/// What the event-schema specs share: which types are events, a fixed sample of each, and the form in which the
/// product's Marten stores it (the JSON in <c>mt_events.data</c>, the name in <c>mt_events.type</c> and the CLR
/// name in <c>mt_events.mt_dotnet_type</c>).
/// </summary>
public static class EventSchemas
{
    public const string PinVariable = "PIN_EVENTS";

    public const string RepinCommand = "PIN_EVENTS=1 dotnet test Specs -c Release --filter FullyQualifiedName~when_an_events_shape_changes";

    // An event is a concrete type of the Domain assembly that carries one of the event contracts. Every settings event
    // has IAuditedEvent, and every event of imported mail IImportEvent; the others are looked for as well so that an
    // event which forgot its contract is still found (and then fails for forgetting it). A type is an event by what it declares, not by where it is used, so a new
    // event is found the day it is written, before any handler appends it.
    private static readonly Type[] EventContracts = [typeof(IAuditedEvent), typeof(IOutcomeEvent), typeof(IUserSettingsEvent), typeof(MailAccounts.Domain.Import.IImportEvent), typeof(MailAccounts.Domain.Verification.IVerificationEvent)];

    /// <summary>Every event type of the product, by name.</summary>
    public static IReadOnlyList<Type> EventTypes { get; } = typeof(IAuditedEvent).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && EventContracts.Any(c => c.IsAssignableFrom(t)))
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToArray();

    /// <summary>True when the pins are to be rewritten from the current event types instead of checked.</summary>
    public static bool Repinning => Environment.GetEnvironmentVariable(PinVariable) == "1";

    /// <summary>The product's store options, built by the product's own <c>AddMailAccountsStorage</c>; no database is reached.</summary>
    public static StoreOptions ProductOptions { get; } = OptionsOf(null);

    /// <summary>
    /// A service provider holding the product's Marten set-up, with <paramref name="change"/> on top (another schema,
    /// a test-only upcaster). Resolving its <see cref="IDocumentStore"/> gives a store that, like one after a restart,
    /// has met no event type yet.
    /// </summary>
    public static ServiceProvider ProductStorage(string connectionString, Action<StoreOptions>? change = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMailAccountsStorage(connectionString);
        if (change is not null)
        {
            services.ConfigureMarten(change);
        }

        return services.BuildServiceProvider();
    }

    /// <summary>Store options as <see cref="ProductStorage"/> builds them, without a database.</summary>
    public static StoreOptions OptionsOf(Action<StoreOptions>? change) =>
        // The provider is left to the process: disposing it would dispose the options with it.
        ProductStorage("Host=127.0.0.1;Port=1;Database=unused;Username=unused", change).GetRequiredService<StoreOptions>();

    /// <summary>The current event type that is stored under <paramref name="eventTypeName"/>, if one is.</summary>
    public static Type? TypeStoredAs(string eventTypeName) => StoredNames.Value.GetValueOrDefault(eventTypeName);

    private static readonly Lazy<Dictionary<string, Type>> StoredNames = new(() => EventTypes
        .GroupBy(t => StoredForm(ProductOptions, t).Type)
        .ToDictionary(g => g.Key, g => g.First()));

    /// <summary>
    /// Whether a store that has just started knows the type stored under <paramref name="eventTypeName"/>. One that
    /// does not yet (nothing registered it, and it has not appended one since it started) finds the CLR type by
    /// <c>mt_dotnet_type</c> alone, so that name must still resolve.
    /// </summary>
    public static bool KnownAtStart(string eventTypeName) => FreshlyKnown.Value.Contains(eventTypeName);

    private static readonly Lazy<HashSet<string>> FreshlyKnown = new(() =>
        [.. ((EventGraph)OptionsOf(null).Events).AllKnownEventTypes().Select(t => t.EventTypeName)]);

    /// <summary>The form Marten stores the event's sample in.</summary>
    public static PinnedEvent StoredForm(StoreOptions options, Type eventType) => StoredForm(options, eventType, Sample(eventType));

    public static PinnedEvent StoredForm(StoreOptions options, Type eventType, object @event)
    {
        var mapping = ((EventGraph)options.Events).EventMappingFor(eventType);
        var data = JsonNode.Parse(options.Serializer().ToJson(@event))!.AsObject();
        return new PinnedEvent(mapping.EventTypeName, mapping.DotNetTypeName, data);
    }

    /// <summary>Reads stored JSON as Marten would, into <paramref name="eventType"/>, without an upcaster.</summary>
    public static object Read(StoreOptions options, Type eventType, JsonObject data)
    {
        using var json = new MemoryStream(Encoding.UTF8.GetBytes(data.ToJsonString()));
        return options.Serializer().FromJson(eventType, json);
    }

    /// <summary>What the pin spec says when the stored form of an event is not the pinned one; null when it is.</summary>
    public static string? ShapeProblem(string eventName, string pinFile, PinnedEvent? pinned, PinnedEvent current)
    {
        if (pinned is null)
        {
            return $"""
                {eventName} has no pin: {pinFile} is missing.
                Pin it with `{RepinCommand}`, read the new file, and commit it beside the event.
                """;
        }

        if (pinned.SameAs(current))
        {
            return null;
        }

        var changes = new List<string>();
        if (pinned.Type != current.Type)
        {
            changes.Add($"its stored name (mt_events.type) was \"{pinned.Type}\" and is now \"{current.Type}\"");
        }

        if (pinned.DotNetType != current.DotNetType)
        {
            changes.Add($"its CLR name (mt_events.mt_dotnet_type) was \"{pinned.DotNetType}\" and is now \"{current.DotNetType}\"; "
                + "a store that has not appended one since it started finds old rows by that name alone");
        }

        if (!JsonNode.DeepEquals(pinned.Data, current.Data))
        {
            changes.Add($"""
                its JSON changed
                  pinned: {pinned.Data.ToJsonString()}
                  now:    {current.Data.ToJsonString()}
                """);
        }

        return $"""
            {eventName} is no longer stored the way {pinFile} pins it: {string.Join("; ", changes)}.
            Every database already holds {eventName} in the pinned form, and those streams must go on replaying. Either
              - make a change the pinned form still reads into without losing anything (a new member that is nullable or has a default), or
              - store the new shape under a new name (a new event type, or options.Events.MapEventTypeWithSchemaVersion<{eventName}>(2) in the module's Configure… method)
                and register an upcaster there that reads "{pinned.Type}" into it (options.Events.Upcast, see README "Event schemas"), or
              - if only the record's name or namespace moved, keep the old names: options.Events.MapEventType<{eventName}>("{pinned.Type}") and options.Events.AddEventType<{eventName}>().
            Then re-pin with `{RepinCommand}`: the current pin moves to Pinned/Earlier/, where the replay specs go on reading it.
            """;
    }

    /// <summary>An id that is the same wherever a member of that name appears, so that the samples of one stream agree.</summary>
    public static Guid SampleGuid(string member) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes("MailAccounts sample " + member)).AsSpan(0, 16));

    public static readonly DateTimeOffset SampleTime = new(2026, 3, 1, 9, 30, 0, TimeSpan.FromHours(3));

    public const int SampleNumber = 42;

    /// <summary>
    /// A fixed instance of <paramref name="type"/> with every member filled: ids from the member's name, text naming
    /// event and member, <see cref="SampleNumber"/>, true, <see cref="SampleTime"/> (not UTC, so that the offset shows),
    /// an enum's last member (not its default, so that a renumbering shows), one element in a list, nullables filled.
    /// </summary>
    public static object Sample(Type type) => Construct(type, type.Name);

    private static object Construct(Type type, string path)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new NotSupportedException($"{path}: {type} has no public constructor to build a sample with.");
        var parameters = constructor.GetParameters();
        var instance = constructor.Invoke([.. parameters.Select(p => Value(p.ParameterType, path, p.Name!))]);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            // Members outside the primary constructor (init-only properties) are stored too.
            if (property.SetMethod is { IsPublic: true } && !parameters.Any(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase)))
            {
                property.SetValue(instance, Value(property.PropertyType, path, property.Name));
            }
        }

        return instance;
    }

    private static object Value(Type type, string path, string member)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Value(underlying, path, member);
        }

        if (type == typeof(Guid))
        {
            return SampleGuid(member);
        }

        if (type == typeof(string))
        {
            return $"{path}.{member}";
        }

        if (type == typeof(int))
        {
            return SampleNumber;
        }

        if (type == typeof(long))
        {
            return (long)SampleNumber;
        }

        if (type == typeof(uint))
        {
            return (uint)SampleNumber;
        }

        if (type == typeof(DateOnly))
        {
            return DateOnly.FromDateTime(SampleTime.Date);
        }

        if (type == typeof(bool))
        {
            return true;
        }

        if (type == typeof(DateTimeOffset))
        {
            return SampleTime;
        }

        if (type.IsEnum)
        {
            var members = Enum.GetValues(type);
            return members.GetValue(members.Length - 1)!;
        }

        if (type.IsArray)
        {
            var array = Array.CreateInstance(type.GetElementType()!, 1);
            array.SetValue(Value(type.GetElementType()!, path, member), 0);
            return array;
        }

        if (type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) && type.GetGenericArguments() is [var element])
        {
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            list.Add(Value(element, path, member));
            return list;
        }

        if (type.IsClass && type != typeof(object))
        {
            return Construct(type, $"{path}.{member}");
        }

        throw new NotSupportedException($"{path}.{member}: the sample builder has no fixed value for {type}; add one to EventSchemas.Value.");
    }
}
