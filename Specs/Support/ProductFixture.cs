using System.Net;
using MailAccounts.Infrastructure.LocalServers;
using MailAccounts.Infrastructure.Users;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MailAccounts.Specs.Support;

/// <summary>
/// The product as a user meets it: the real host on a real Kestrel port, over its own PostgreSQL and its
/// own Dovecot and Postfix, all on free loopback ports in a temporary folder, removed afterwards.
/// </summary>
public sealed class ProductFixture : IAsyncLifetime
{
    public const string AdministratorPassword = "specs-admin-password";
    public const string MailDomain = "specs.test";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mailaccounts-specs-" + Guid.NewGuid().ToString("N")[..8]);
    private WebApplicationFactory<Program>? _factory;
    private Browser? _browser;

    public PrivatePostgres Postgres { get; private set; } = null!;

    public PrivateMailServer MailServer { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public CapturedLogs Logs { get; } = new();

    public IServiceProvider Services => _factory!.Services;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        var postgres = PrivatePostgres.StartAsync(Path.Combine(_folder, "postgres"), durable: false);
        var mail = PrivateMailServer.StartAsync(Path.Combine(_folder, "mail"), MailDomain);
        Postgres = await postgres;
        MailServer = await mail;

        // Program reads its settings before the host is built; JasperFx must not treat them as its own verbs.
        JasperFx.CommandLine.JasperFxEnvironment.AutoStartHost = true;
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:Marten", Postgres.ConnectionString);
            builder.UseSetting("Mail:TrustedAuthorities:0", MailServer.Endpoints.AuthorityCertificatePath);
            builder.UseSetting(AdministratorSeeding.PasswordVariable, AdministratorPassword);
            builder.UseSetting("MailAccounts:DataFolder", Path.Combine(_folder, "data"));
            builder.UseSetting("Security:SignInAttemptsPerMinute", "100000");
            builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        });
        _factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();

        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseAddress = new Uri(addresses.Addresses.First());
        await AdministratorSeeded();
    }

    public UserSession NewSession() => new(BaseAddress);

    public async Task<Browser> BrowserAsync() => _browser ??= await Browser.LaunchAsync(BaseAddress);

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        await MailServer.DisposeAsync();
        await Postgres.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task AdministratorSeeded()
    {
        // The administrator is created once the host has started; sign-in proves it is there.
        for (var attempt = 0; attempt < 100; attempt++)
        {
            using var session = NewSession();
            if (await session.TrySignInAsync(AdministratorSeeding.Login, AdministratorPassword))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException("The administrator was not seeded.");
    }
}

[CollectionDefinition(Name)]
public sealed class ProductCollection : ICollectionFixture<ProductFixture>
{
    public const string Name = "product";
}
