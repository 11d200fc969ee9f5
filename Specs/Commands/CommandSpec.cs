using System.Text.Json.Nodes;
using JasperFx.Events;
using Marten;
using MailAccounts.Domain.Common;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;

// Not MailAccounts.Specs.Commands: that namespace would hide the Commands type from every spec under MailAccounts.Specs.
namespace MailAccounts.Specs.CommandTier;

/// <summary>
/// The command tier: given the events a stream holds, when a command is invoked on the real host (as a page invokes
/// it, through <see cref="Commands.InvokeAsync"/>), then exactly these events are appended, or the command is refused
/// and nothing is. Faster than a page spec and blind to wording and markup; slower than a Domain spec, but it proves
/// the handler's loading, authorisation and appending too.
/// </summary>
public abstract class CommandSpec(ProductFixture product)
{
    /// <summary>
    /// The time of an expected event: the handler takes it, so <see cref="ThenEvents"/> checks that it lies within the
    /// <see cref="When"/> instead of comparing it.
    /// </summary>
    protected static readonly DateTimeOffset HandlerTime = DateTimeOffset.MinValue;

    /// <summary>The time of given events: before any command of the spec ran.</summary>
    protected static readonly DateTimeOffset Earlier = DateTimeOffset.UtcNow.AddDays(-1);

    /// <summary>Each stream the spec looks at, with the version it had before the command.</summary>
    private readonly Dictionary<Guid, long> _streams = [];
    private Outcome? _outcome;
    private DateTimeOffset _from;
    private DateTimeOffset _to;

    protected IDocumentStore Store => product.Services.GetRequiredService<IDocumentStore>();

    protected Outcome Outcome => _outcome ?? throw new InvalidOperationException("No command was invoked: call When first.");

    protected async Task GivenEvents<T>(Guid streamId, params object[] events)
        where T : class
    {
        await using var session = Store.LightweightSession();
        session.Events.StartStream<T>(streamId, events);
        await session.SaveChangesAsync();
        _streams[streamId] = events.Length;
    }

    /// <summary>Looks at a stream given no events here: one the command starts, or one shared with other specs.</summary>
    protected async Task Watching(Guid streamId)
    {
        await using var session = Store.QuerySession();
        _streams[streamId] = (await session.Events.FetchStreamStateAsync(streamId))?.Version ?? 0;
    }

    protected async Task When(object command)
    {
        _from = DateTimeOffset.UtcNow;
        await using var scope = product.Services.CreateAsyncScope();
        _outcome = await scope.ServiceProvider.GetRequiredService<Commands>().InvokeAsync(command, CancellationToken.None);
        _to = DateTimeOffset.UtcNow;
        if (_outcome.Id != Guid.Empty && !_streams.ContainsKey(_outcome.Id))
        {
            // The id the command answers may be a stream it started (a new user).
            _streams[_outcome.Id] = 0;
        }
    }

    /// <summary>The command succeeded and appended exactly these events, in this order, to the streams looked at.</summary>
    protected async Task ThenEvents(params object[] expected)
    {
        Outcome.Violations.ShouldBeEmpty();
        var appended = await AppendedAsync();
        appended.Select(e => e.GetType().Name).ShouldBe(expected.Select(e => e.GetType().Name));
        foreach (var (actual, wanted) in appended.Zip(expected))
        {
            WithoutTime(actual).ShouldBe(WithoutTime(wanted), $"{actual.GetType().Name}: {actual}");
            if (actual is IAuditedEvent audited)
            {
                audited.At.ShouldBeInRange(_from, _to, $"{actual.GetType().Name} is not stamped with the handler's time");
            }
        }
    }

    protected void ThenRefusedWith(string code) =>
        Outcome.Violations.Select(v => v.Code).ShouldContain(code);

    /// <summary>Nothing was appended to any stream looked at.</summary>
    protected async Task ThenNoEvents() => (await AppendedAsync()).ShouldBeEmpty();

    private async Task<IReadOnlyList<object>> AppendedAsync()
    {
        await using var session = Store.QuerySession();
        var appended = new List<object>();
        foreach (var (streamId, version) in _streams)
        {
            IReadOnlyList<IEvent> events = await session.Events.FetchStreamAsync(streamId);
            appended.AddRange(events.Where(e => e.Version > version).Select(e => e.Data));
        }

        return appended;
    }

    /// <summary>An event as JSON without its time: everything else (ids, actor, values) is compared.</summary>
    private string WithoutTime(object @event)
    {
        var json = JsonNode.Parse(Store.Options.Serializer().ToJson(@event))!.AsObject();
        json.Remove("At");
        json.Remove("at");
        return json.ToJsonString();
    }
}
