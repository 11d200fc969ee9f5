using System.Globalization;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.Integration.Accounts;

/// <summary>
/// Test settings against the private Dovecot and Postfix set up wrongly in the ways people do: the report gives the
/// advice for each, in the page's language, and keeps the server's own words in a details line below it.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed partial class when_a_test_fails_the_form_gives_advice(ProductFixture product)
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var culture in new[] { "en", "ru" })
        {
            foreach (var @case in new[] { "ssl-on-plain-port", "starttls-on-ssl-port", "pop3-port-as-imap", "smtp-port-as-imap", "wrong-password", "unresolvable-name", "closed-port", "untrusted-certificate", "no-starttls" })
            {
                data.Add(@case, culture);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task each_wrong_setting_gets_its_advice_in_the_pages_language(string @case, string culture)
    {
        var mailbox = await product.NewMailboxAsync();
        var endpoints = product.MailServer.Endpoints;
        var form = AccountForms.For(product, mailbox);
        string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
        var (changed, advice, stage) = @case switch
        {
            "ssl-on-plain-port" => (form.With("Input.Port", Port(endpoints.Imap)), "Advice.PortSpeaksPlain", "Tls"),
            "starttls-on-ssl-port" => (form.With("Input.UseSsl", "false"), "Advice.SilentMaybeSsl", "Connection"),
            "pop3-port-as-imap" => (form.With("Input.Port", Port(endpoints.Pop3s)), "Advice.AnotherProtocol", "Connection"),
            "smtp-port-as-imap" => (form.With("Input.Port", Port(endpoints.Smtp)).With("Input.UseSsl", "false"), "Advice.AnotherProtocol", "Connection"),
            "wrong-password" => (form.With("Input.Password", "not the password"), "Advice.CheckPassword", "Authentication"),
            "unresolvable-name" => (form.With("Input.Host", "nosuch.invalid"), "Advice.NameNotFound", "NameResolution"),
            "closed-port" => (form.With("Input.Port", Port(product.ClosedPort)), "Advice.ConnectionRefused", "Connection"),
            "untrusted-certificate" => (AccountForms.For(product, mailbox, host: product.Misbehaving.UntrustedHost), "Advice.CertificateUntrusted", "Tls"),
            "no-starttls" => (AccountForms.For(product, mailbox, host: product.Misbehaving.NoTlsHost).With("Input.UseSsl", "false").With("Input.Port", Port(endpoints.Imap)),
                "Advice.NoStartTls", "Tls"),
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };
        using var user = await product.NewUserAsync();
        await user.Session.SubmitAsync("/Email/Settings/Accounts", new() { ["culture"] = culture, ["returnUrl"] = "/Email/Settings/Accounts" }, postTo: "/Culture");

        var page = await user.Session.SubmitAsync(AccountForms.AddPage, changed, "Test");

        var report = ConnectionReport.In(page.Html);
        report.Failed.Stage.ShouldBe(stage);
        var failed = new HtmlParser().ParseDocument(page.Html).QuerySelector("[data-outcome='failed']")!;
        var given = failed.QuerySelector("[data-advice]").ShouldNotBeNull($"advice for {@case}: {failed.TextContent}");
        given.GetAttribute("data-advice").ShouldBe(advice);
        ShouldRead(given.TextContent, product.Word(advice, culture));
        failed.QuerySelector("[data-server-words]").ShouldNotBeNull("the server's own words stay, below the advice");
        if (@case == "untrusted-certificate")
        {
            report.Text.ShouldContain("MailAccounts untrusted CA", Case.Sensitive, "the certificate's details stay");
        }

        if (@case == "pop3-port-as-imap")
        {
            given.TextContent.ShouldContain("POP3");
        }
    }

    /// <summary>The advice is the resource's sentence in that language, its values filled in.</summary>
    private static void ShouldRead(string text, string word)
    {
        var pattern = "^" + string.Join(".*", Placeholder().Split(word).Select(Regex.Escape)) + "$";
        text.Trim().ShouldMatch(pattern);
    }

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
