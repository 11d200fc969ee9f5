using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Discovery;
using MailAccounts.Infrastructure.Mail;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Net.Smtp;

namespace MailAccounts.Infrastructure.Discovery;

/// <summary>The lookups of Find settings, in the order they are tried.</summary>
public enum DiscoveryStepKind
{
    Preset,
    Autoconfig,
    WellKnown,
    Srv,
    Mx,
    Guess,
}

/// <summary>What one lookup came to.</summary>
public enum DiscoveryStepOutcome
{
    Found,
    NothingFound,
    Refused,
    Failed,
    TimedOut,
    NotTried,
}

/// <summary>
/// One line of Find settings' progress: which lookup, of what (<paramref name="Subject"/>: a URL, a domain, a
/// server), how it went, and in what words where there is more to say (the policy's refusal, the server's error).
/// </summary>
public sealed record DiscoveryStep(DiscoveryStepKind Kind, DiscoveryStepOutcome Outcome, string Subject, ReportText? Detail = null);

/// <summary>
/// What Find settings found for an address: the servers chosen for the form (either may be missing), where they came
/// from, the provider's name and note when a preset gave them, and every step taken.
/// </summary>
public sealed record DiscoveryResult(
    SettingsSource? Source,
    string? ProviderName,
    FoundServer? Incoming,
    FoundServer? Outgoing,
    ProviderPreset? Preset,
    IReadOnlyList<DiscoveryStep> Steps,
    bool TimedOut,
    bool OnlyPlainIncoming = false,
    bool OnlyPlainOutgoing = false)
{
    public bool Found => Incoming is not null || Outgoing is not null;

    public bool NeedsOAuth2 => Incoming?.NeedsOAuth2 == true || Outgoing?.NeedsOAuth2 == true;
}

/// <summary>
/// Finds a mailbox's servers from its address alone, in Thunderbird's order: the product's presets, the domain's
/// autoconfig document (its autoconfig host, then its well-known URL), RFC 6186 SRV records, the MX host matched
/// against the presets, and last a guess at the usual host names probed with a real connection. Every lookup and
/// connection goes through the mail network policy (the HTTPS fetch included) and the whole search ends at
/// <c>Discovery:TotalSeconds</c>. The first source that gives a usable (encrypted) server wins; nothing is saved.
/// </summary>
public sealed class MailDiscovery(
    DiscoveryOptions options, MailResolver resolver, MailNetworkPolicy network, MailConnector connector, AutoconfigFetcher fetcher)
{
    public TimeSpan Limit => options.Total;

    /// <param name="progress">Told of every step as it is taken, for a page that shows the search while it runs.</param>
    public async Task<DiscoveryResult> FindAsync(
        string address, IncomingProtocol preferred, CancellationToken cancellationToken, Func<DiscoveryStep, CancellationToken, Task>? progress = null)
    {
        var parts = MailAddressParts.Of(address) ?? throw new ArgumentException("Not an address with a domain.", nameof(address));
        var log = new StepLog(progress, cancellationToken);
        var steps = log.Steps;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(options.Total);

        if (ProviderPresets.ForAddress(parts.Address) is { } preset)
        {
            await log.AddAsync(new DiscoveryStep(DiscoveryStepKind.Preset, DiscoveryStepOutcome.Found, preset.Name));
            return FromPreset(preset, SettingsSource.Preset, parts, preferred, steps, false);
        }

        await log.AddAsync(new DiscoveryStep(DiscoveryStepKind.Preset, DiscoveryStepOutcome.NothingFound, parts.Domain));
        var lookups = new (DiscoveryStepKind Kind, Func<CancellationToken, Task<(FoundSettings? Found, DiscoveryStep Step, ProviderPreset? Preset)>> Run)[]
        {
            (DiscoveryStepKind.Autoconfig, t => AutoconfigAsync(AutoconfigUri(parts), DiscoveryStepKind.Autoconfig, parts, t)),
            (DiscoveryStepKind.WellKnown, t => AutoconfigAsync(WellKnownUri(parts), DiscoveryStepKind.WellKnown, parts, t)),
            (DiscoveryStepKind.Srv, t => SrvAsync(parts, t)),
            (DiscoveryStepKind.Mx, t => MxAsync(parts, t)),
            (DiscoveryStepKind.Guess, t => GuessAsync(parts, preferred, t)),
        };

        // The lookups that only ask (documents and DNS) run side by side, as Thunderbird's do, so that a server that
        // stalls costs the others nothing; their answers are taken in order of preference. The guess, which connects
        // to servers, comes only when none of them gave anything usable.
        using var others = CancellationTokenSource.CreateLinkedTokenSource(limit.Token);
        var asked = lookups.Where(l => l.Kind != DiscoveryStepKind.Guess).ToDictionary(l => l.Kind, l => AttemptAsync(l.Kind, l.Run, parts, others.Token, cancellationToken));
        foreach (var (kind, run) in lookups)
        {
            if (!asked.TryGetValue(kind, out var attempt))
            {
                if (limit.IsCancellationRequested)
                {
                    await log.AddAsync(new DiscoveryStep(kind, DiscoveryStepOutcome.NotTried, ""));
                    continue;
                }

                attempt = AttemptAsync(kind, run, parts, limit.Token, cancellationToken);
            }

            var (found, step, fromPreset) = await attempt;
            await log.AddAsync(step);
            if (found is not { IsEmpty: false })
            {
                continue;
            }

            var at = steps.Count - 1;
            try
            {
                var result = Choose(await VetAsync(found, kind, log, limit.Token), fromPreset, preferred, steps, limit.IsCancellationRequested);
                if (result.Found)
                {
                    await others.CancelAsync();
                    return result;
                }

                // Found, but nothing usable: only plain text (said, never filled in), or only servers the policy
                // refused (each said in a line of its own after this one). A later source may still do better.
                if (result.OnlyPlainIncoming || result.OnlyPlainOutgoing)
                {
                    steps[at] = step with { Outcome = DiscoveryStepOutcome.Refused, Detail = ReportText.Of("Discovery.PlainOnly") };
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await log.AddAsync(TimedOut(kind, parts));
            }
        }

        return new DiscoveryResult(null, null, null, null, null, steps, TimedOut: steps.Any(s => s.Outcome == DiscoveryStepOutcome.TimedOut));
    }

    /// <summary>
    /// One lookup, whatever becomes of it: the time limit reached, or a network that fails in a way of its own (no DNS
    /// server reachable, a connection reset), is a step that says so, never an error page.
    /// </summary>
    private async Task<(FoundSettings? Found, DiscoveryStep Step, ProviderPreset? Preset)> AttemptAsync(
        DiscoveryStepKind kind, Func<CancellationToken, Task<(FoundSettings?, DiscoveryStep, ProviderPreset?)>> run, MailAddressParts parts,
        CancellationToken limit, CancellationToken caller)
    {
        try
        {
            return await run(limit);
        }
        catch (OperationCanceledException) when (!caller.IsCancellationRequested)
        {
            return (null, TimedOut(kind, parts), null);
        }
        catch (Exception e) when (e is TimeoutException or System.Net.Sockets.SocketException or IOException && !caller.IsCancellationRequested)
        {
            return (null, new DiscoveryStep(kind, DiscoveryStepOutcome.Failed, parts.Domain, ReportText.Verbatim(e.Message)), null);
        }
    }

    private DiscoveryStep TimedOut(DiscoveryStepKind kind, MailAddressParts parts) =>
        new(kind, DiscoveryStepOutcome.TimedOut, parts.Domain, ReportText.Of("Discovery.TimeLimit", (int)options.Total.TotalSeconds));

    public Uri AutoconfigUri(MailAddressParts parts) =>
        new($"https://autoconfig.{parts.Domain}:{options.AutoconfigPort}/mail/config-v1.1.xml?emailaddress={Uri.EscapeDataString(parts.Address)}");

    public Uri WellKnownUri(MailAddressParts parts) =>
        new($"https://{parts.Domain}:{options.AutoconfigPort}/.well-known/autoconfig/mail/config-v1.1.xml");

    private static DiscoveryResult FromPreset(
        ProviderPreset preset, SettingsSource source, MailAddressParts parts, IncomingProtocol preferred, List<DiscoveryStep> steps, bool timedOut) =>
        Choose(new FoundSettings(source, preset.Name, PresetServers(preset, parts)), preset, preferred, steps, timedOut);

    /// <summary>A preset's servers, signed in to with the whole address, as the providers want.</summary>
    private static FoundServer[] PresetServers(ProviderPreset preset, MailAddressParts parts) =>
    [
        new(ServerRole.Imap, preset.Imap, parts.Address, preset.NeedsOAuth2),
        .. preset.Pop3 is { } pop3 ? new[] { new FoundServer(ServerRole.Pop3, pop3, parts.Address, preset.NeedsOAuth2) } : [],
        new(ServerRole.Smtp, preset.Smtp, parts.Address, preset.NeedsOAuth2),
    ];

    private static DiscoveryResult Choose(FoundSettings found, ProviderPreset? preset, IncomingProtocol preferred, List<DiscoveryStep> steps, bool timedOut) => new(
        found.Source, found.ProviderName, SettingsChoice.Incoming(found.Servers, preferred), SettingsChoice.Outgoing(found.Servers), preset, steps, timedOut,
        SettingsChoice.Incoming(found.Servers, preferred) is null && SettingsChoice.OnlyPlainFound([.. found.Servers], incoming: true),
        SettingsChoice.Outgoing(found.Servers) is null && SettingsChoice.OnlyPlainFound([.. found.Servers], incoming: false));

    private async Task<(FoundSettings?, DiscoveryStep, ProviderPreset?)> AutoconfigAsync(
        Uri uri, DiscoveryStepKind kind, MailAddressParts parts, CancellationToken cancellationToken)
    {
        var subject = uri.GetLeftPart(UriPartial.Path);
        var fetched = await fetcher.FetchAsync(uri, cancellationToken);
        if (fetched.Text is null)
        {
            return (null, new DiscoveryStep(kind, fetched.Refused ? DiscoveryStepOutcome.Refused : DiscoveryStepOutcome.NothingFound, subject, fetched.Problem), null);
        }

        return AutoconfigDocument.Parse(fetched.Text, parts) is { } found
            ? (found, new DiscoveryStep(kind, DiscoveryStepOutcome.Found, subject), null)
            : (null, new DiscoveryStep(kind, DiscoveryStepOutcome.Failed, subject, ReportText.Of("Discovery.NotAutoconfig")), null);
    }

    private async Task<(FoundSettings?, DiscoveryStep, ProviderPreset?)> SrvAsync(MailAddressParts parts, CancellationToken cancellationToken)
    {
        var answers = await Task.WhenAll(DnsRecords.SrvServices.Select(s => resolver.SrvAsync(s.Service, parts.Domain, cancellationToken)));
        var found = DnsRecords.FromSrv(answers.SelectMany(a => a), parts);
        var outcome = found.IsEmpty ? DiscoveryStepOutcome.NothingFound : DiscoveryStepOutcome.Found;
        return (found.IsEmpty ? null : found, new DiscoveryStep(DiscoveryStepKind.Srv, outcome, parts.Domain), null);
    }

    private async Task<(FoundSettings?, DiscoveryStep, ProviderPreset?)> MxAsync(MailAddressParts parts, CancellationToken cancellationToken)
    {
        var answers = await resolver.MxAsync(parts.Domain, cancellationToken);
        if (ProviderPresets.ForMx(answers) is not { } preset)
        {
            return (null, new DiscoveryStep(DiscoveryStepKind.Mx, DiscoveryStepOutcome.NothingFound, parts.Domain), null);
        }

        var exchange = DnsRecords.MatchMx(answers, preset.MxDomains ?? [])!.Value.Exchange;
        return (new FoundSettings(SettingsSource.MxPreset, preset.Name, PresetServers(preset, parts)),
            new DiscoveryStep(DiscoveryStepKind.Mx, DiscoveryStepOutcome.Found, exchange, ReportText.Verbatim(preset.Name)), preset);
    }

    /// <summary>The usual names, probed in order until one answers with working TLS; incoming and outgoing side by side.</summary>
    private async Task<(FoundSettings?, DiscoveryStep, ProviderPreset?)> GuessAsync(MailAddressParts parts, IncomingProtocol preferred, CancellationToken cancellationToken)
    {
        var incomingPlan = GuessPlan.Incoming(parts, options.GuessPorts);
        // The protocol the user picked is probed first; the plan's order holds within it.
        var ordered = incomingPlan.OrderBy(s => preferred == IncomingProtocol.Pop3 ? (s.Role == ServerRole.Pop3 ? 0 : 1) : (s.Role == ServerRole.Imap ? 0 : 1)).ToArray();
        var incoming = FirstAnsweringAsync(ordered, cancellationToken);
        var outgoing = FirstAnsweringAsync(GuessPlan.Outgoing(parts, options.GuessPorts), cancellationToken);
        var servers = new[] { await incoming, await outgoing }.OfType<FoundServer>().ToArray();
        var subject = string.Join(", ", servers.Select(s => $"{s.Endpoint.Host}:{s.Endpoint.Port}"));
        return servers.Length == 0
            ? (null, new DiscoveryStep(DiscoveryStepKind.Guess, DiscoveryStepOutcome.NothingFound, parts.Domain), null)
            : (new FoundSettings(SettingsSource.Guess, null, servers), new DiscoveryStep(DiscoveryStepKind.Guess, DiscoveryStepOutcome.Found, subject), null);
    }

    private async Task<FoundServer?> FirstAnsweringAsync(IEnumerable<FoundServer> candidates, CancellationToken cancellationToken)
    {
        foreach (var candidate in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await AnswersAsync(candidate, cancellationToken))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>A real connection through the product's connector (policy, TLS, certificate), signing in to nothing.</summary>
    private async Task<bool> AnswersAsync(FoundServer candidate, CancellationToken cancellationToken)
    {
        using MailService client = candidate.Role switch
        {
            ServerRole.Imap => new ImapClient(),
            ServerRole.Pop3 => new Pop3Client(),
            _ => new SmtpClient(),
        };
        var connected = await connector.ConnectAsync(client, candidate.Endpoint, [], new TestReport(), cancellationToken);
        if (connected)
        {
            try
            {
                await client.DisconnectAsync(true, cancellationToken);
            }
            catch (Exception e) when (MailFailures.IsExpected(e, cancellationToken))
            {
                // It answered; how it says goodbye does not matter.
            }
        }

        return connected;
    }

    /// <summary>
    /// The found servers whose addresses the policy allows: a document or a record that names a private address (or a
    /// port that is not a mail port) is refused here, as the connection would be, and the step says so. A name that
    /// does not resolve is kept: Test settings will say what is wrong with it.
    /// </summary>
    private async Task<FoundSettings> VetAsync(FoundSettings found, DiscoveryStepKind kind, StepLog steps, CancellationToken cancellationToken)
    {
        if (found.Source is SettingsSource.Guess or SettingsSource.MxPreset or SettingsSource.Preset)
        {
            // Probed through the policy already, or the product's own presets.
            return found;
        }

        var kept = new List<FoundServer>();
        foreach (var server in found.Servers)
        {
            IReadOnlyList<System.Net.IPAddress> addresses;
            try
            {
                addresses = await resolver.AddressesAsync(server.Endpoint.Host, cancellationToken);
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                kept.Add(server);
                continue;
            }

            var refusals = addresses.Select(a => network.Refusal(a, server.Endpoint.Port)).ToArray();
            if (refusals.All(r => r is not null) && refusals.Length > 0)
            {
                await steps.AddAsync(new DiscoveryStep(kind, DiscoveryStepOutcome.Refused, $"{server.Endpoint.Host}:{server.Endpoint.Port}", refusals[0]));
                continue;
            }

            kept.Add(server);
        }

        return found with { Servers = kept };
    }

    /// <summary>The steps taken, each told to the caller's progress as it is added (outside the search's time limit).</summary>
    private sealed class StepLog(Func<DiscoveryStep, CancellationToken, Task>? progress, CancellationToken caller)
    {
        public List<DiscoveryStep> Steps { get; } = [];

        public async Task AddAsync(DiscoveryStep step)
        {
            Steps.Add(step);
            if (progress is not null)
            {
                await progress(step, caller);
            }
        }
    }
}
