using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MailAccounts.Specs.Support;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.WebUtilities;

namespace MailAccounts.Specs.Integration.LocalServers;

/// <summary>
/// <c>./run.sh</c>'s demo, as a host process of its own (its own embedded PostgreSQL and demo mail server, as on a fresh
/// machine): its authorization server is registered as the sign-in provider "Demo mail server", the product is its OAuth
/// client with the account form's callback as redirect address, and a demo mailbox consents with its own password.
/// </summary>
[Collection(MailboxCollection.Name)]
public sealed partial class when_the_demo_offers_its_sign_in_provider(ProductFixture product)
{
    [Fact]
    public async Task an_administrator_finds_it_and_a_demo_mailbox_signs_in_with_it_back_to_the_product()
    {
        var port = HostProcess.FreePort();
        Directory.CreateDirectory(HostProcess.DataFolder(port));
        try
        {
            await using (var host = await HostProcess.StartAsync(product, port, new Dictionary<string, string>
            {
                [LocalServersHosting.DemoSwitch] = "true",
                // No database named: the host starts its embedded PostgreSQL, as ./run.sh does.
                ["ConnectionStrings:Marten"] = "",
            }))
            {
                var issuer = new Uri(Issuer().Match(host.Output).Groups["issuer"].Value);
                var callback = new Uri(host.Address, DemoSignInProvider.CallbackPath);

                using var admin = new UserSession(host.Address);
                // The administrator is seeded, and the provider registered, once the host has started.
                await HostProcess.WaitAsync(() => admin.TrySignInAsync("admin", ProductFixture.AdministratorPassword), "the administrator is seeded", 60);
                string? providers = null;
                await HostProcess.WaitAsync(async () => (providers = (await admin.GetAsync("/Admin/SignInProviders")).Html).Contains(DemoSignInProvider.Name, StringComparison.Ordinal),
                    "the demo's sign-in provider is registered", 60);

                var anna = JsonSerializer.Deserialize<JsonElement[]>(
                    await File.ReadAllTextAsync(Path.Combine(HostProcess.DataFolder(port), "mail", "demo-mailboxes.json")))![0];
                var location = await ConsentAsync(issuer, callback, anna.GetProperty("Address").GetString()!, anna.GetProperty("Password").GetString()!);

                location.GetLeftPart(UriPartial.Path).ShouldBe(callback.AbsoluteUri, "the provider sends the browser back to the product's callback");
                QueryHelpers.ParseQuery(location.Query)["code"].ToString().ShouldNotBeEmpty();
            }
        }
        finally
        {
            Directory.Delete(HostProcess.DataFolder(port), recursive: true);
        }
    }

    /// <summary>The authorization request as the product sends it, the consent page answered with the mailbox's password: where the provider redirects.</summary>
    private static async Task<Uri> ConsentAsync(Uri issuer, Uri callback, string address, string password)
    {
        var verifier = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        using var http = OAuthGrants.Browserless();
        var authorize = new Uri(issuer, "connect/authorize");
        var page = await http.GetStringAsync(QueryHelpers.AddQueryString(authorize.AbsoluteUri, new Dictionary<string, string?>
        {
            ["client_id"] = DemoSignInProvider.ClientId,
            ["redirect_uri"] = callback.AbsoluteUri,
            ["response_type"] = "code",
            ["scope"] = OAuthGrants.Scopes,
            ["state"] = "demo-state",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        }));
        page.ShouldContain("MailAccounts (demo)");
        var fields = new OAuthGrants.ConsentPage(HttpStatusCode.OK, null, page).HiddenFields();
        fields["login"] = address;
        fields["password"] = password;
        fields["consent"] = "allow";
        using var answer = await http.PostAsync(authorize, new FormUrlEncodedContent(fields));
        answer.StatusCode.ShouldBe(HttpStatusCode.Redirect, await answer.Content.ReadAsStringAsync());
        return answer.Headers.Location!;
    }

    [GeneratedRegex("""demo sign-in provider "[^"]+": authorization server (?<issuer>\S+)""")]
    private static partial Regex Issuer();
}
