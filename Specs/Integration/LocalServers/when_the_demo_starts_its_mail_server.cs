using System.Net;
using System.Net.Sockets;
using MailAccounts.Infrastructure.LocalServers;
using MailAccounts.Specs.Support;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Builder;

namespace MailAccounts.Specs.Integration.LocalServers;

/// <summary>
/// The private mail server misbehaves on purpose (a certificate nobody trusts on 127.0.0.2, no TLS on 127.0.0.3, a
/// silent port, refused recipients) only for the specs that ask for it. The demo that <c>./run.sh</c> starts gets a
/// server that behaves: nothing listens on the misbehaving hosts, and its endpoints name none.
/// </summary>
[Collection(MailboxCollection.Name)]
public sealed class when_the_demo_starts_its_mail_server(ProductFixture product)
{
    private static readonly IPAddress[] MisbehavingHosts = [IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.3")];

    [Fact]
    public async Task nothing_listens_on_the_misbehaving_hosts_and_its_endpoints_name_none()
    {
        // Not CreateTempSubdirectory: Postfix's own user must enter the folder, which that makes 0700.
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "mailaccounts-demo-spec-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var started = new List<IAsyncDisposable>();
        try
        {
            var builder = WebApplication.CreateBuilder();
            builder.Configuration[LocalServersHosting.DemoSwitch] = "true";
            builder.Configuration[LocalServersHosting.DataFolderKey] = folder;

            await LocalServersHosting.StartDemoMailServerAsync(builder, started, CancellationToken.None);

            var server = started.OfType<PrivateMailServer>().ShouldHaveSingleItem();
            (await ConnectAsync(IPAddress.Loopback, server.Endpoints.Imaps)).ShouldBe(SocketError.Success, "the demo server is up");
            foreach (var host in MisbehavingHosts)
            {
                foreach (var port in server.Endpoints.MailPorts)
                {
                    (await ConnectAsync(host, port)).ShouldBe(SocketError.ConnectionRefused, $"something listens on {host}:{port}");
                }
            }

            server.Endpoints.Misbehaving.ShouldBeNull();
        }
        finally
        {
            foreach (var server in started)
            {
                await server.DisposeAsync();
            }

            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task the_specs_server_misbehaves_on_those_hosts_as_asked()
    {
        var misbehaving = product.Misbehaving;
        var endpoints = product.MailServer.Endpoints;

        (await ConnectAsync(IPAddress.Parse(misbehaving.UntrustedHost), endpoints.Imaps)).ShouldBe(SocketError.Success);
        (await ConnectAsync(IPAddress.Parse(misbehaving.UntrustedHost), endpoints.Submissions)).ShouldBe(SocketError.Success);
        (await ConnectAsync(IPAddress.Parse(misbehaving.NoTlsHost), endpoints.Imap)).ShouldBe(SocketError.Success);
        (await ConnectAsync(IPAddress.Parse(misbehaving.NoTlsHost), endpoints.Smtp)).ShouldBe(SocketError.Success);
        (await ConnectAsync(IPAddress.Loopback, misbehaving.SilentPort)).ShouldBe(SocketError.Success);
    }

    private static async Task<SocketError> ConnectAsync(IPAddress host, int port)
    {
        using var client = new TcpClient();
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await client.ConnectAsync(host, port, giveUp.Token);
            return SocketError.Success;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
    }
}
