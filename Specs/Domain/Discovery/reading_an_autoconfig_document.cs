using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Discovery;

namespace MailAccounts.Specs.Domain.Discovery;

/// <summary>Thunderbird's config-v1.1.xml as providers publish it, and as a hostile server might.</summary>
public sealed class reading_an_autoconfig_document
{
    private static readonly MailAddressParts Anna = MailAddressParts.Of("anna.petrova@example.ru")!;

    private const string Provider = """
        <?xml version="1.0" encoding="UTF-8"?>
        <clientConfig version="1.1">
          <emailProvider id="example.ru">
            <domain>example.ru</domain>
            <displayName>Example Mail</displayName>
            <displayShortName>Example</displayShortName>
            <incomingServer type="imap">
              <hostname>imap.%EMAILDOMAIN%</hostname>
              <port>993</port>
              <socketType>SSL</socketType>
              <username>%EMAILLOCALPART%</username>
              <authentication>password-cleartext</authentication>
            </incomingServer>
            <incomingServer type="pop3">
              <hostname>pop.example.ru</hostname>
              <port>110</port>
              <socketType>STARTTLS</socketType>
              <username>%EMAILADDRESS%</username>
              <authentication>password-cleartext</authentication>
            </incomingServer>
            <incomingServer type="exchange">
              <hostname>outlook.example.ru</hostname>
              <port>443</port>
              <socketType>SSL</socketType>
            </incomingServer>
            <outgoingServer type="smtp">
              <hostname>SMTP.Example.RU.</hostname>
              <port>587</port>
              <socketType>STARTTLS</socketType>
              <username>%EMAILADDRESS%</username>
              <authentication>OAuth2</authentication>
            </outgoingServer>
          </emailProvider>
        </clientConfig>
        """;

    [Fact]
    public void the_servers_come_in_the_documents_order_with_the_placeholders_filled_in()
    {
        var found = AutoconfigDocument.Parse(Provider, Anna).ShouldNotBeNull();

        found.Source.ShouldBe(SettingsSource.Autoconfig);
        found.ProviderName.ShouldBe("Example Mail");
        found.Servers.ShouldBe(
        [
            new FoundServer(ServerRole.Imap, new ServerEndpoint("imap.example.ru", 993, TransportSecurity.SslOnConnect), "anna.petrova"),
            new FoundServer(ServerRole.Pop3, new ServerEndpoint("pop.example.ru", 110, TransportSecurity.StartTls), "anna.petrova@example.ru"),
            new FoundServer(ServerRole.Smtp, new ServerEndpoint("smtp.example.ru", 587, TransportSecurity.StartTls), "anna.petrova@example.ru", NeedsOAuth2: true),
        ]);
    }

    [Fact]
    public void oauth2_beside_a_password_method_does_not_mark_the_server_as_needing_it()
    {
        var document = Provider.Replace("<authentication>OAuth2</authentication>",
            "<authentication>OAuth2</authentication><authentication>password-cleartext</authentication>", StringComparison.Ordinal);

        AutoconfigDocument.Parse(document, Anna)!.Servers.ShouldAllBe(s => !s.NeedsOAuth2);
    }

    [Fact]
    public void a_server_without_a_username_signs_in_with_the_whole_address()
    {
        var document = Provider.Replace("<username>%EMAILLOCALPART%</username>", "", StringComparison.Ordinal);

        AutoconfigDocument.Parse(document, Anna)!.Servers[0].Login.ShouldBe("anna.petrova@example.ru");
    }

    [Theory]
    [InlineData("<port>99999</port>")]
    [InlineData("<port>-1</port>")]
    [InlineData("<port>abc</port>")]
    [InlineData("<port></port>")]
    public void a_server_with_a_port_that_is_not_one_is_left_out(string port)
    {
        var document = Provider.Replace("<port>993</port>", port, StringComparison.Ordinal);

        AutoconfigDocument.Parse(document, Anna)!.Servers.ShouldNotContain(s => s.Role == ServerRole.Imap);
    }

    [Theory]
    [InlineData("<hostname>imap.example.ru/../x</hostname>")]
    [InlineData("<hostname>http://imap.example.ru</hostname>")]
    [InlineData("<hostname>imap example ru</hostname>")]
    [InlineData("<hostname></hostname>")]
    public void a_server_whose_host_is_not_a_host_name_is_left_out(string host)
    {
        var document = Provider.Replace("<hostname>imap.%EMAILDOMAIN%</hostname>", host, StringComparison.Ordinal);

        AutoconfigDocument.Parse(document, Anna)!.Servers.ShouldNotContain(s => s.Role == ServerRole.Imap);
    }

    [Fact]
    public void a_socket_type_it_does_not_know_leaves_the_server_out_rather_than_guessing()
    {
        var document = Provider.Replace("<socketType>SSL</socketType>", "<socketType>maybe</socketType>", StringComparison.Ordinal);

        AutoconfigDocument.Parse(document, Anna)!.Servers.ShouldNotContain(s => s.Role == ServerRole.Imap);
    }

    [Fact]
    public void plain_is_read_as_no_encryption_and_left_to_the_choice_to_refuse()
    {
        var document = Provider.Replace("<socketType>SSL</socketType>", "<socketType>plain</socketType>", StringComparison.Ordinal);

        AutoconfigDocument.Parse(document, Anna)!.Servers[0].Endpoint.Security.ShouldBe(TransportSecurity.None);
    }

    [Theory]
    [InlineData("not xml at all")]
    [InlineData("<html><body>Not found</body></html>")]
    [InlineData("<clientConfig version=\"1.1\"></clientConfig>")]
    [InlineData("")]
    public void text_that_is_not_an_autoconfig_document_is_no_document(string text)
    {
        AutoconfigDocument.Parse(text, Anna).ShouldBeNull();
    }

    [Fact]
    public void a_document_with_a_dtd_is_refused_so_that_no_entity_is_expanded()
    {
        const string billionLaughs = """
            <?xml version="1.0"?>
            <!DOCTYPE clientConfig [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
            <clientConfig version="1.1"><emailProvider id="x"><displayName>&b;</displayName></emailProvider></clientConfig>
            """;

        AutoconfigDocument.Parse(billionLaughs, Anna).ShouldBeNull();
    }

    [Fact]
    public void a_document_larger_than_any_real_one_is_not_read()
    {
        var padded = Provider.Replace("<displayShortName>", new string(' ', AutoconfigDocument.MaxCharacters) + "<displayShortName>", StringComparison.Ordinal);

        AutoconfigDocument.Parse(padded, Anna).ShouldBeNull();
    }

    [Fact]
    public void the_placeholders_are_filled_in_whatever_their_case()
    {
        AutoconfigDocument.Fill("%emaillocalpart%+crm@%EmailDomain% (%EMAILADDRESS%)", Anna)
            .ShouldBe("anna.petrova+crm@example.ru (anna.petrova@example.ru)");
    }

    [Theory]
    [InlineData("anna@Example.RU", "anna", "example.ru")]
    [InlineData(" \"a@b\"@example.ru ", "\"a@b\"", "example.ru")]
    public void an_address_is_split_at_its_last_at_sign_and_its_domain_lowered(string address, string local, string domain)
    {
        var parts = MailAddressParts.Of(address).ShouldNotBeNull();

        parts.LocalPart.ShouldBe(local);
        parts.Domain.ShouldBe(domain);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("anna")]
    [InlineData("anna@")]
    [InlineData("@example.ru")]
    [InlineData("anna@localhost")]
    [InlineData("anna@[192.0.2.1]")]
    [InlineData("anna@192.0.2.1")]
    [InlineData("anna@exa mple.ru")]
    public void an_address_without_a_domain_to_look_up_is_none(string? address)
    {
        MailAddressParts.Of(address).ShouldBeNull();
    }
}
