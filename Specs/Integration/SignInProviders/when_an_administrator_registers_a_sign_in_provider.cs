using System.Net;
using Marten;
using MailAccounts.Domain.SignInProviders;
using MailAccounts.Infrastructure.Secrets;
using MailAccounts.Infrastructure.SignInProviders;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Integration.SignInProviders;

/// <summary>Admin » Sign-in providers through the real host: the organisation's OAuth clients, their secrets in the vault.</summary>
[Collection(ProductCollection.Name)]
public sealed class when_an_administrator_registers_a_sign_in_provider(ProductFixture product)
{
    private const string List = "/Admin/SignInProviders";
    private const string Register = "/Admin/SignInProviders/Edit";

    [Fact]
    public async Task microsoft_is_registered_with_its_tenant_its_secret_only_in_the_vault_and_a_history()
    {
        using var admin = await product.AdministratorAsync();
        var name = "Microsoft 365 " + Guid.NewGuid().ToString("N")[..6];
        var secret = "client-secret-" + Guid.NewGuid().ToString("N");

        var saved = await admin.SubmitAsync(Register, Microsoft(name, secret));

        saved.Status.ShouldBe(HttpStatusCode.Redirect);
        var listed = await admin.GetAsync(List);
        listed.Dom.Texts("[role=status]").ShouldContain(product.Word("SignInProviders.Saved"));
        listed.Html.ShouldContain(name);
        listed.Html.ShouldContain("contoso.onmicrosoft.com");

        var provider = await ProviderNamedAsync(name);
        provider.AuthorizationEndpoint.ShouldBe("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize");
        var configured = (await product.EventsOfAsync(provider.Id)).ShouldHaveSingleItem().Data.ShouldBeOfType<SignInProviderConfigured>();
        configured.ClientSecretId.ShouldBe(provider.ClientSecretId);
        configured.By.ShouldBe(await product.UserIdAsync(MailAccounts.Infrastructure.Users.AdministratorSeeding.Login));
        (await RevealAsync(provider.ClientSecretId)).ShouldBe(secret);

        var history = await admin.GetAsync($"/Admin/SignInProviders/History/{provider.Id}");
        history.Status.ShouldBe(HttpStatusCode.OK);
        history.Html.ShouldContain(product.Word("Event.SignInProviderConfigured"));
        history.Html.ShouldContain(product.Word("SignInProvider.ClientSecret"));
        history.Html.ShouldContain(product.Word("History.SecretChanged"));
        history.Html.ShouldNotContain(secret);
        (await admin.GetAsync($"/Admin/SignInProviders/Edit/{provider.Id}")).Html.ShouldNotContain(secret);
    }

    [Fact]
    public async Task a_change_without_a_secret_keeps_it_and_a_new_secret_deletes_the_old_ciphertext()
    {
        using var admin = await product.AdministratorAsync();
        var name = "Google " + Guid.NewGuid().ToString("N")[..6];
        (await admin.SubmitAsync(Register, Google(name, "first-" + Guid.NewGuid().ToString("N")))).Status.ShouldBe(HttpStatusCode.Redirect);
        var first = await ProviderNamedAsync(name);
        var edit = $"/Admin/SignInProviders/Edit/{first.Id}";

        (await admin.SubmitAsync(edit, Google(name + " Workspace", ""))).Status.ShouldBe(HttpStatusCode.Redirect);
        var renamed = await ProviderNamedAsync(name + " Workspace");
        renamed.ClientSecretId.ShouldBe(first.ClientSecretId);

        var second = "second-" + Guid.NewGuid().ToString("N");
        (await admin.SubmitAsync(edit, Google(name + " Workspace", second))).Status.ShouldBe(HttpStatusCode.Redirect);
        var replaced = await ProviderNamedAsync(name + " Workspace");
        replaced.ClientSecretId.ShouldNotBe(first.ClientSecretId);
        (await RevealAsync(replaced.ClientSecretId)).ShouldBe(second);
        (await RevealAsync(first.ClientSecretId)).ShouldBeNull("the replaced secret's ciphertext is deleted");
        (await product.EventsOfAsync(first.Id)).Count.ShouldBe(3);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task bad_input_is_named_at_its_field_in_the_users_language_and_nothing_is_saved(string culture)
    {
        using var admin = await product.AdministratorAsync();
        await admin.SubmitAsync(List, new() { ["culture"] = culture, ["returnUrl"] = List }, postTo: "/Culture");
        var name = "Keycloak " + Guid.NewGuid().ToString("N")[..6];

        var refused = await admin.SubmitAsync(Register, new()
        {
            ["Input.Kind"] = "Generic",
            ["Input.Name"] = name,
            ["Input.ClientId"] = "crm",
            ["Input.ClientSecret"] = "s3cret-" + Guid.NewGuid().ToString("N"),
            ["Input.AuthorizationEndpoint"] = "http://sso.example.com/auth",
            ["Input.TokenEndpoint"] = "https://sso.example.com/token",
            ["Input.Scopes"] = "",
        });

        refused.Status.ShouldBe(HttpStatusCode.OK);
        refused.ErrorAt("Input.AuthorizationEndpoint").ShouldBe(product.Word(SignInProviderViolations.EndpointInvalid, culture));
        refused.ErrorAt("Input.Scopes").ShouldBe(product.Word(SignInProviderViolations.ScopesRequired, culture));
        refused.ErrorAt("Input.TokenEndpoint").ShouldBe("");
        refused.Dom.Find("input[name=\"Input.ClientSecret\"]")!.GetAttribute("value").ShouldBeNullOrEmpty();
        refused.Dom.Find("input[name=\"Input.Name\"]")!.GetAttribute("value").ShouldBe(name);
        (await ProvidersNamedAsync(name)).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_user_who_is_not_an_administrator_cannot_open_or_post_the_pages()
    {
        using var user = await product.NewUserAsync();

        (await user.Session.GetAsync(List)).Status.ShouldNotBe(HttpStatusCode.OK);
        (await user.Session.GetAsync(Register)).Status.ShouldNotBe(HttpStatusCode.OK);

        // The command checks its actor itself, whatever page or job sends it.
        var name = "Sneaky " + Guid.NewGuid().ToString("N")[..6];
        await using var scope = product.Services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<MailAccounts.Infrastructure.Common.Commands>().InvokeAsync(new ConfigureSignInProvider(
            await product.UserIdAsync(user.Login), Guid.CreateVersion7(), SignInProviderKind.Google, name, "client", new MailAccounts.Infrastructure.Common.Secret("x"),
            null, null, null, null), CancellationToken.None);
        outcome.Succeeded.ShouldBeFalse();
        outcome.Violations.ShouldContain(v => v.Code == MailAccounts.Domain.Users.UserViolations.NotAdministrator);
        (await ProvidersNamedAsync(name)).ShouldBeEmpty();
    }

    private static Dictionary<string, string> Microsoft(string name, string secret) => new()
    {
        ["Input.Kind"] = "Microsoft",
        ["Input.Name"] = name,
        ["Input.ClientId"] = Guid.NewGuid().ToString(),
        ["Input.ClientSecret"] = secret,
        ["Input.Tenant"] = "Contoso.onmicrosoft.com",
    };

    private static Dictionary<string, string> Google(string name, string secret) => new()
    {
        ["Input.Kind"] = "Google",
        ["Input.Name"] = name,
        ["Input.ClientId"] = "1234-abc.apps.googleusercontent.com",
        ["Input.ClientSecret"] = secret,
    };

    private async Task<SignInProvider> ProviderNamedAsync(string name) => (await ProvidersNamedAsync(name)).ShouldHaveSingleItem();

    private async Task<IReadOnlyList<SignInProvider>> ProvidersNamedAsync(string name)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return [.. (await SignInProviderQueries.AllAsync(session, CancellationToken.None)).Where(p => p.Name == name)];
    }

    private async Task<string?> RevealAsync(Guid secretId)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await product.Services.GetRequiredService<SecretVault>().RevealAsync(session, secretId, CancellationToken.None);
    }
}
