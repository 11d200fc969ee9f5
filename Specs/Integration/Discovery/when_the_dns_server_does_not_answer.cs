using System.Diagnostics;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Discovery;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.Integration.Discovery;

/// <summary>
/// Find settings against a DNS server that reads every question and answers none: the search ends at its time limit,
/// says so step by step, and finds nothing, instead of waiting for each lookup's own time-outs in turn.
/// </summary>
public sealed class when_the_dns_server_does_not_answer
{
    private static MailDiscovery Discovery(string dnsServer, int totalSeconds, out IDisposable owned)
    {
        // A lookup's own time-out (Mail:TimeoutSeconds, with a retry) is longer than the whole search may take.
        var mail = new MailOptions { DnsServer = dnsServer, TimeoutSeconds = 5, AllowedPrivateNetworks = ["127.0.0.0/8"] };
        var options = new DiscoveryOptions { TotalSeconds = totalSeconds };
        var resolver = new MailResolver(mail);
        var policy = new MailNetworkPolicy(mail);
        var fetcher = new AutoconfigFetcher(resolver, policy, options);
        owned = fetcher;
        return new MailDiscovery(options, resolver, policy, new MailConnector(mail, policy, CertificatePolicy.SystemRootsOnly, resolver), fetcher);
    }

    [Fact]
    public async Task the_search_stops_at_its_time_limit_and_says_which_lookups_it_stopped_and_which_it_did_not_reach()
    {
        await using var silent = new SilentDnsServer();
        var discovery = Discovery(silent.EndPoint.ToString(), totalSeconds: 2, out var owned);
        using var _ = owned;

        var clock = Stopwatch.StartNew();
        var found = await discovery.FindAsync("anna@slow.test", IncomingProtocol.Imap, CancellationToken.None);
        clock.Stop();

        found.Found.ShouldBeFalse();
        found.TimedOut.ShouldBeTrue();
        silent.Questions.ShouldBeGreaterThan(0);
        clock.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1.9));
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(4.5));
        found.Steps.Select(s => (s.Kind, s.Outcome)).ShouldBe(
        [
            (DiscoveryStepKind.Preset, DiscoveryStepOutcome.NothingFound),
            // Documents and DNS are asked side by side: each waited for the silent server until the limit.
            (DiscoveryStepKind.Autoconfig, DiscoveryStepOutcome.TimedOut),
            (DiscoveryStepKind.WellKnown, DiscoveryStepOutcome.TimedOut),
            (DiscoveryStepKind.Srv, DiscoveryStepOutcome.TimedOut),
            (DiscoveryStepKind.Mx, DiscoveryStepOutcome.TimedOut),
            // The guess, which would connect to servers, comes after them: there was no time left for it.
            (DiscoveryStepKind.Guess, DiscoveryStepOutcome.NotTried),
        ]);
        found.Steps[1].Detail!.ToString().ShouldBe("stopped at the time limit of 2 s");
    }
}
