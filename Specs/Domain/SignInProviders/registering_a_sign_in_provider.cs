using MailAccounts.Domain.Common;
using MailAccounts.Domain.SignInProviders;
using MailAccounts.Infrastructure.SignInProviders;

namespace MailAccounts.Specs.Domain.SignInProviders;

public sealed class registering_a_sign_in_provider
{
    private static readonly Guid ProviderId = Guid.NewGuid();
    private static readonly Guid Admin = Guid.NewGuid();
    private static readonly Guid Secret = Guid.NewGuid();
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    private static Decision Configure(SignInProvider? current, SignInProviderForm form) =>
        SignInProviderDecisions.Configure(ProviderId, current, form, SignInProviderPresets.For(form.Kind), Admin, Now);

    [Theory]
    [InlineData(SignInProviderKind.Google, "https://accounts.google.com/o/oauth2/v2/auth", "https://mail.google.com/")]
    [InlineData(SignInProviderKind.Yandex, "https://oauth.yandex.com/authorize", "mail:imap_full")]
    [InlineData(SignInProviderKind.MailRu, "https://oauth.mail.ru/login", "mail.imap")]
    public void a_big_provider_takes_its_documented_endpoints_and_scopes_whatever_the_form_says(SignInProviderKind kind, string authorization, string scope)
    {
        var configured = Configure(null, new SignInProviderForm(kind, " Our mail ", "client-1", Secret,
                AuthorizationEndpoint: "https://attacker.example/authorize", TokenEndpoint: "https://attacker.example/token", Scopes: "everything"))
            .Events.ShouldHaveSingleItem().ShouldBeOfType<SignInProviderConfigured>();

        configured.Name.ShouldBe("Our mail");
        configured.AuthorizationEndpoint.ShouldBe(authorization);
        configured.TokenEndpoint.ShouldStartWith("https://");
        configured.TokenEndpoint.ShouldNotContain("attacker");
        configured.Scopes.Split(' ').ShouldContain(scope);
        configured.ClientSecretId.ShouldBe(Secret);
        configured.Tenant.ShouldBe("");
        (configured.By, configured.At).ShouldBe((Admin, Now));
    }

    [Theory]
    [InlineData(null, "common")]
    [InlineData(" Contoso.onmicrosoft.com ", "contoso.onmicrosoft.com")]
    [InlineData("organizations", "organizations")]
    public void microsoft_signs_in_through_the_tenant_given_or_common(string? tenant, string expected)
    {
        var configured = Configure(null, new SignInProviderForm(SignInProviderKind.Microsoft, "Microsoft 365", "app-id", Secret, tenant))
            .Events.ShouldHaveSingleItem().ShouldBeOfType<SignInProviderConfigured>();

        configured.Tenant.ShouldBe(expected);
        configured.AuthorizationEndpoint.ShouldBe($"https://login.microsoftonline.com/{expected}/oauth2/v2.0/authorize");
        configured.TokenEndpoint.ShouldBe($"https://login.microsoftonline.com/{expected}/oauth2/v2.0/token");
        configured.Scopes.Split(' ').ShouldContain("https://outlook.office.com/IMAP.AccessAsUser.All");
        configured.Scopes.Split(' ').ShouldContain("https://outlook.office.com/SMTP.Send");
        configured.Scopes.Split(' ').ShouldContain("offline_access");
    }

    [Fact]
    public void a_tenant_that_is_no_name_is_refused() =>
        Configure(null, new SignInProviderForm(SignInProviderKind.Microsoft, "Microsoft 365", "app-id", Secret, "common/../x"))
            .ShouldBeRefusedWith("Tenant", SignInProviderViolations.TenantInvalid);

    [Fact]
    public void a_generic_provider_names_its_endpoints_and_scopes()
    {
        var configured = Configure(null, new SignInProviderForm(SignInProviderKind.Generic, "Our Keycloak", "crm", Secret, "ignored",
                "https://sso.example.com/auth", "https://sso.example.com/token", "  openid   email offline_access mail "))
            .Events.ShouldHaveSingleItem().ShouldBeOfType<SignInProviderConfigured>();

        configured.AuthorizationEndpoint.ShouldBe("https://sso.example.com/auth");
        configured.TokenEndpoint.ShouldBe("https://sso.example.com/token");
        configured.Scopes.ShouldBe("openid email offline_access mail");
        configured.Tenant.ShouldBe("");
    }

    [Theory]
    [InlineData("http://sso.example.com/auth")]
    [InlineData("https://user:pass@sso.example.com/auth")]
    [InlineData("https://sso.example.com/auth#here")]
    [InlineData("sso.example.com/auth")]
    [InlineData("")]
    public void a_generic_endpoint_must_be_https_without_credentials(string endpoint) =>
        Configure(null, new SignInProviderForm(SignInProviderKind.Generic, "SSO", "crm", Secret, null, endpoint, "https://sso.example.com/token", "openid"))
            .ShouldBeRefusedWith("AuthorizationEndpoint", SignInProviderViolations.EndpointInvalid);

    [Fact]
    public void plain_http_is_allowed_on_loopback_where_a_provider_of_ones_own_runs() =>
        Configure(null, new SignInProviderForm(SignInProviderKind.Generic, "Local", "crm", Secret, null,
                "http://127.0.0.1:5099/connect/authorize", "http://localhost:5099/connect/token", "openid"))
            .IsAccepted.ShouldBeTrue();

    [Fact]
    public void every_missing_field_is_named_at_once()
    {
        var refused = Configure(null, new SignInProviderForm(SignInProviderKind.Generic, " ", "", null));

        refused.IsAccepted.ShouldBeFalse();
        refused.Violations.Select(v => (v.Field, v.Code)).ShouldBe(
        [
            ("Name", SignInProviderViolations.NameRequired),
            ("ClientId", SignInProviderViolations.ClientIdRequired),
            ("ClientSecret", SignInProviderViolations.ClientSecretRequired),
            ("AuthorizationEndpoint", SignInProviderViolations.EndpointInvalid),
            ("TokenEndpoint", SignInProviderViolations.EndpointInvalid),
            ("Scopes", SignInProviderViolations.ScopesRequired),
        ], ignoreOrder: true);
    }

    [Fact]
    public void a_change_keeps_the_stored_secret_unless_one_is_typed_and_appends_nothing_when_nothing_changed()
    {
        var form = new SignInProviderForm(SignInProviderKind.Google, "Google", "client-1", Secret);
        var current = Configure(null, form).Events.Aggregate((SignInProvider?)null, SignInProvider.Evolve);

        Configure(current, form with { NewClientSecretId = null }).Events.ShouldBeEmpty();

        var renamed = Configure(current, form with { Name = "Google Workspace", NewClientSecretId = null })
            .Events.ShouldHaveSingleItem().ShouldBeOfType<SignInProviderConfigured>();
        renamed.ClientSecretId.ShouldBe(Secret);
    }

    [Fact]
    public void a_providers_kind_cannot_change()
    {
        var current = Configure(null, new SignInProviderForm(SignInProviderKind.Google, "Google", "client-1", Secret))
            .Events.Aggregate((SignInProvider?)null, SignInProvider.Evolve);

        Configure(current, new SignInProviderForm(SignInProviderKind.Yandex, "Google", "client-1", null))
            .ShouldBeRefusedWith("Kind", SignInProviderViolations.KindFixed);
    }

    [Fact]
    public void a_kind_that_is_not_in_the_list_is_refused() =>
        Configure(null, new SignInProviderForm((SignInProviderKind)42, "X", "client-1", Secret))
            .ShouldBeRefusedWith("Kind", SignInProviderViolations.KindInvalid);
}
