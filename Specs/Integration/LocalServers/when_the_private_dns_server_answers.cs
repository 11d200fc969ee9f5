using System.Net;
using System.Net.Sockets;
using MailAccounts.Infrastructure.LocalServers;
using MailAccounts.Infrastructure.Mail;

namespace MailAccounts.Specs.Integration.LocalServers;

/// <summary>The specs' private DNS server (dnsmasq) answers from its zone alone, as the product's resolver asks it.</summary>
public sealed class when_the_private_dns_server_answers : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mailaccounts-dns-" + Guid.NewGuid().ToString("N")[..8]);
    private PrivateDnsServer _dns = null!;
    private MailResolver _resolver = null!;

    public async Task InitializeAsync()
    {
        _dns = await PrivateDnsServer.StartAsync(_folder, new DnsZone("test")
            .Address("mail.zone.test", IPAddress.Parse("127.0.0.9"))
            .Srv("_imaps._tcp", "zone.test", "mail.zone.test", 10993, priority: 5, weight: 7)
            .NotOffered("_pop3s._tcp", "zone.test")
            .Mx("zone.test", "mx.zone.test", 10));
        _resolver = new MailResolver(new MailOptions { DnsServer = _dns.EndPoint.ToString(), TimeoutSeconds = 3 });
    }

    public async Task DisposeAsync()
    {
        await _dns.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task it_gives_the_zones_addresses_srv_and_mx_records()
    {
        (await _resolver.AddressesAsync("mail.zone.test", CancellationToken.None)).ShouldBe([IPAddress.Parse("127.0.0.9")]);
        var imaps = (await _resolver.SrvAsync("_imaps._tcp", "zone.test", CancellationToken.None)).ShouldHaveSingleItem();
        (imaps.Target.TrimEnd('.'), imaps.Port, imaps.Priority, imaps.Weight).ShouldBe(("mail.zone.test", 10993, 5, 7));
        (await _resolver.SrvAsync("_pop3s._tcp", "zone.test", CancellationToken.None)).ShouldHaveSingleItem().Target.ShouldBe(".");
        (await _resolver.MxAsync("zone.test", CancellationToken.None)).ShouldHaveSingleItem().Exchange.TrimEnd('.').ShouldBe("mx.zone.test");
    }

    [Fact]
    public async Task a_name_outside_its_zone_does_not_exist_and_nothing_is_forwarded()
    {
        (await _resolver.SrvAsync("_imaps._tcp", "other.test", CancellationToken.None)).ShouldBeEmpty();
        await Should.ThrowAsync<SocketException>(() => _resolver.AddressesAsync("nowhere.zone.test", CancellationToken.None));
        // Not even a name the machine knows: no hosts file, no upstream.
        await Should.ThrowAsync<SocketException>(() => _resolver.AddressesAsync("localhost", CancellationToken.None));
    }
}
