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
public class ProductFixture : IAsyncLifetime
{
    public const string AdministratorPassword = "specs-admin-password";
    public const string MailDomain = "specs.test";

    /// <summary>Shorter than the product's 15 seconds, so that the silent-server spec does not wait long.</summary>
    public const int TimeoutSeconds = 3;

    /// <summary>The live search's time limit a folder, under <see cref="TimeoutSeconds"/>.</summary>
    public const int SearchFolderSeconds = TimeoutSeconds - 1;

    /// <summary>The domains of the specs' addresses: <see cref="MailDomain"/>, and the example domains of forms never sent from.</summary>
    public static readonly string[] SenderDomains = [MailDomain, "example.com", "example.org"];

    public static readonly string[] SendRetryDelays = ["00:00:01", "00:00:02", "00:00:02"];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mailaccounts-specs-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly Dictionary<string, string> _more = [];
    private WebApplicationFactory<Program>? _factory;
    private Browser? _browser;

    /// <summary>A port on 127.0.0.1 that mail settings may name and nothing listens on: a connection there is refused.</summary>
    public int ClosedPort => _ports[0];

    /// <summary>
    /// Ports on 127.0.0.1 that mail settings may name, for servers a spec runs itself (a proxy that stalls or is
    /// slow): only allowed ports are reachable, as a site allows its own. Handed out in turn by <see cref="SparePort"/>.
    /// The first of <see cref="_ports"/> is <see cref="ClosedPort"/>; all lie below the kernel's ephemeral range, so
    /// that no outgoing connection's local port can hold one when a proxy binds it (the kernel's port 0 once handed a
    /// spare that a moment later was the local end of some spec's connection: "Address already in use").
    /// </summary>
    private readonly int[] _ports = FreePorts.Take(7);
    private int _nextSpare = -1;

    public int SparePort() => _ports[1 + (int)((uint)Interlocked.Increment(ref _nextSpare) % (_ports.Length - 1))];

    public PrivatePostgres Postgres { get; private set; } = null!;

    public PrivateMailServer MailServer { get; private set; } = null!;

    /// <summary>What <see cref="MailServer"/> does wrong on purpose: the specs' server is always started to misbehave.</summary>
    public MisbehavingEndpoints Misbehaving => MailServer.Endpoints.Misbehaving
        ?? throw new InvalidOperationException("The specs' mail server was started without its misbehaving endpoints.");

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>How long the private authorization server's access tokens last: a minute, which specs pass by moving its clock.</summary>
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromSeconds(60);

    /// <summary>The private authorization server's time, which a spec moves on to see its tokens expire.</summary>
    public MovableClock AuthorizationClock { get; } = new();

    public CapturedLogs Logs { get; } = new();

    /// <summary>The certificate that encrypts the key ring, made for this run, as an operator would configure it.</summary>
    public string KeyRingCertificatePath => Path.Combine(_folder, "keyring", "keyring.pfx");

    public string KeyRingCertificatePassword { get; } = "keyring-" + Guid.NewGuid().ToString("N");

    public IServiceProvider Services => _factory!.Services;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        CreateKeyRingCertificate();
        var postgres = PrivatePostgres.StartAsync(Path.Combine(_folder, "postgres"), durable: false);
        // The specs of how the product copes with a bad server need its misbehaving endpoints; the demo never gets them.
        var mail = PrivateMailServer.StartAsync(Path.Combine(_folder, "mail"), MailDomain, misbehave: true, quotaBytes: PrivateMailServer.UsualQuotaBytes,
            authorization: new AuthorizationServerSettings(AccessTokenLifetime, AuthorizationClock));
        Postgres = await postgres;
        MailServer = await mail;
        foreach (var (key, value) in await ServersBesideAsync(Path.Combine(_folder, "beside")))
        {
            _more[key] = value;
        }

        _factory = CreateHost();
        _factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();

        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseAddress = new Uri(addresses.Addresses.First());
        await AdministratorSeeded();
    }

    /// <summary>A host over the same database and mail server: the first one, or a second node beside it.</summary>
    public WebApplicationFactory<Program> CreateHost()
    {
        // Program reads its settings before the host is built; JasperFx must not treat them as its own verbs.
        JasperFx.CommandLine.JasperFxEnvironment.AutoStartHost = true;
        return new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in HostSettings())
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        });
    }

    /// <summary>
    /// What every host of the specs is configured with, in-process or a process of its own (which takes them as
    /// environment variables, <c>:</c> written <c>__</c>): the same database, mail server, key ring and limits.
    /// </summary>
    public Dictionary<string, string> HostSettings()
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:Marten"] = Postgres.ConnectionString,
            ["Mail:TrustedAuthorities:0"] = MailServer.Endpoints.AuthorityCertificatePath,
            [AdministratorSeeding.PasswordVariable] = AdministratorPassword,
            ["MailAccounts:DataFolder"] = Path.Combine(_folder, "data"),
            ["DataProtection:CertificatePath"] = KeyRingCertificatePath,
            ["DataProtection:CertificatePassword"] = KeyRingCertificatePassword,
            ["Security:SignInAttemptsPerMinute"] = "100000",
            ["Mail:TestsPerMinute"] = "100000",
            // Specs of the per-user limits start a host of their own with small ones.
            ["Mail:ReadsPerMinute"] = "100000",
            ["Mail:SendsPerMinute"] = "100000",
            // Send goes at once unless a spec's user chooses an undo time in General settings.
            ["Mail:UndoSendSeconds"] = "0",
            // Mail held for an account that needs reconnecting looks every second whether it was reconnected.
            ["Mail:HeldMailCheckSeconds"] = "1",
            // The private mail servers listen on loopback, which mail settings may otherwise not reach, on high
            // ports that are allowed one by one, as a site allows its own; ClosedPort is allowed and never listened on.
            ["Mail:AllowedPrivateNetworks:0"] = "127.0.0.0/8",
            ["Mail:TimeoutSeconds"] = TimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // A search's folder time limit below the connection timeout: a silent server's folder is then the search's
            // "no answer in time", as with the product's 20 s against its 15, and the specs do not wait for it long.
            ["Mail:SearchFolderSeconds"] = SearchFolderSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        // The domains the specs' accounts send from through the system's default server, which sends from no other.
        for (var domain = 0; domain < SenderDomains.Length; domain++)
        {
            settings[$"Outgoing:SenderDomains:{domain}"] = SenderDomains[domain];
        }

        int[] ports = [.. MailServer.Endpoints.MailPorts, Misbehaving.SilentPort, .. _ports];
        for (var i = 0; i < ports.Length; i++)
        {
            settings[$"Mail:AllowedPorts:{i}"] = ports[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        // Retries seconds apart instead of minutes, so that a spec sees the last one.
        for (var retry = 0; retry < SendRetryDelays.Length; retry++)
        {
            settings[$"Mail:SendRetryDelays:{retry}"] = SendRetryDelays[retry];
        }

        foreach (var (key, value) in _more)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>
    /// Servers a collection's product needs besides the usual ones (a private DNS server, an HTTPS server), started once
    /// the mail server is up and before the host, in <paramref name="folder"/>; what they return is added to the host's
    /// settings. The usual product needs none.
    /// </summary>
    protected virtual Task<IReadOnlyDictionary<string, string>> ServersBesideAsync(string folder) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());

    /// <summary>Stops what <see cref="ServersBesideAsync"/> started, after the host and before the folder goes.</summary>
    protected virtual ValueTask StopServersBesideAsync() => ValueTask.CompletedTask;

    public UserSession NewSession() => new(BaseAddress);

    /// <summary>A new mailbox on the private Dovecot, with a password nobody else uses (and a quota of its own when given).</summary>
    public async Task<Mailbox> NewMailboxAsync(long? quotaBytes = null)
    {
        var address = $"{Guid.NewGuid():N}"[..12] + "@" + MailDomain;
        var password = "mailbox-" + Guid.NewGuid().ToString("N");
        await (quotaBytes is { } quota ? MailServer.SetMailboxAsync(address, password, quota) : MailServer.SetMailboxAsync(address, password));
        return new Mailbox(address, password);
    }

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

        await StopServersBesideAsync();
        await MailServer.DisposeAsync();
        await Postgres.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private void CreateKeyRingCertificate()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(KeyRingCertificatePath)!);
        using var rsa = System.Security.Cryptography.RSA.Create(3072);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=MailAccounts specs key ring", rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllBytes(KeyRingCertificatePath,
            certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12, KeyRingCertificatePassword));
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

public sealed record Mailbox(string Address, string Password);

/// <summary>
/// The specs of the product's settings, users, access and history, over one product. The specs that need a product are
/// spread over this and the collections below, each with a product of its own (its own database, mail server and
/// browser), so that they run side by side: specs of one collection run one after the other, and most of their time
/// is spent waiting on a server or the browser, which the others use meanwhile.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ProductCollection : ICollectionFixture<ProductFixture>
{
    public const string Name = "product";
}

/// <summary>The specs of reading mail on the server: the client's pages, the mailbox port, the test servers, new mail.</summary>
[CollectionDefinition(Name)]
public sealed class MailboxCollection : ICollectionFixture<ProductFixture>
{
    public const string Name = "product: mailboxes";
}

/// <summary>The specs of sending mail through the outbox.</summary>
[CollectionDefinition(Name)]
public sealed class SendingCollection : ICollectionFixture<ProductFixture>
{
    public const string Name = "product: sending";
}

/// <summary>What a person does in the browser with mail: the list, the reading pane, reading, writing and replying.</summary>
[CollectionDefinition(Name)]
public sealed class MailInTheBrowserCollection : ICollectionFixture<ProductFixture>
{
    public const string Name = "product: mail in the browser";
}

/// <summary>What a person does in the browser besides mail: accounts, settings, history, layout, administration.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<ProductFixture>
{
    public const string Name = "product: browser";
}

/// <summary>
/// A product of its own for the spec that kills a second host process in the middle of sending a hundred messages and
/// starts it again: it runs alone, after every other collection (xunit runs a collection that disables parallelisation
/// by itself), because what it proves (nothing lost, at most the one in flight sent twice) depends on the restarted host
/// and the durable queue's recovery, which under the load of the other collections took minutes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection : ICollectionFixture<ProductFixture>
{
    public const string Name = "product: alone";
}

/// <summary>
/// A product of its own, for specs that change what is shared by everyone (the system's default outgoing server),
/// so that they cannot disturb specs that rely on it being unset.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedSettingsCollection : ICollectionFixture<ProductFixture>
{
    public const string Name = "shared settings";
}

/// <summary>The specs of importing mail into the system: the engine against the private Dovecot, and what it stores.</summary>
[CollectionDefinition(Name)]
public sealed class ImportCollection : ICollectionFixture<ProductFixture>
{
    public const string Name = "product: import";
}
