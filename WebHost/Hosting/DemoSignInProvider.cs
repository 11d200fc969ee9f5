using MailAccounts.Domain.Common;
using MailAccounts.Domain.SignInProviders;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.LocalServers;
using MailAccounts.Infrastructure.SignInProviders;
using Marten;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace MailAccounts.WebHost.Hosting;

/// <summary>
/// In the demo, the demo mail server's authorization server is a sign-in provider ("Demo mail server", a generic OAuth
/// provider), so that a demo mailbox can be added with "Sign in with …" instead of its password. The product is
/// registered on that server as an OAuth client at every start (the server's store is made afresh each time) with the
/// same client secret, kept in the data folder; the provider itself is registered once by the system.
/// </summary>
internal sealed class DemoSignInProvider(IServiceProvider services, PrivateAuthorizationServer authorization, IServer server, string folder) : AfterStartup
{
    /// <summary>The demo provider's stream: the same at every start, so that accounts signed in with it keep it.</summary>
    public static readonly Guid ProviderId = new("00000000-0000-0000-0000-0000000000a1");

    public const string ClientId = "mailaccounts-demo";

    public const string Name = "Demo mail server";

    /// <summary>The account form's sign-in callback page, which the provider sends the browser back to.</summary>
    public const string CallbackPath = Pages.Email.Settings.Accounts.SignedInModel.Path;

    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        var secret = await DemoMailboxes.OAuthClientSecretAsync(folder, cancellationToken);
        await authorization.RegisterClientAsync(ClientId, secret, RedirectUris(), "MailAccounts (demo)", cancellationToken);

        await using var scope = services.CreateAsyncScope();
        var session = scope.ServiceProvider.GetRequiredService<IQuerySession>();
        var registered = await session.LoadAsync<SignInProvider>(ProviderId, cancellationToken);
        var outcome = await scope.ServiceProvider.GetRequiredService<Commands>().InvokeAsync(
            new ConfigureSignInProvider(Actors.System, ProviderId, SignInProviderKind.Generic, Name, ClientId,
                // Stored once; the same secret at every start changes nothing, so no event is recorded for it.
                registered is null ? new Secret(secret) : null,
                null, authorization.AuthorizationEndpoint.AbsoluteUri, authorization.TokenEndpoint.AbsoluteUri,
                "openid email offline_access " + PrivateAuthorizationServer.MailScope),
            cancellationToken);
        if (!outcome.Succeeded)
        {
            throw new InvalidOperationException("The demo's sign-in provider was refused: " + string.Join(", ", outcome.Violations.Select(v => v.Code)));
        }
    }

    /// <summary>
    /// The product's sign-in callback at every address it listens on, with 127.0.0.1 and localhost for an address that
    /// listens on every interface: the browser comes back to the address it left from.
    /// </summary>
    private IEnumerable<Uri> RedirectUris()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            var uri = new Uri(address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal));
            string[] hosts = uri.Host is "0.0.0.0" or "[::]" or "::" ? ["127.0.0.1", "localhost"] : uri.IsLoopback ? [uri.Host, "localhost", "127.0.0.1"] : [uri.Host];
            foreach (var host in hosts.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                yield return new UriBuilder(uri.Scheme, host, uri.Port, CallbackPath).Uri;
            }
        }
    }
}
