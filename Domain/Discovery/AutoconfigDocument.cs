using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.Discovery;

/// <summary>
/// Reads a mail provider's autoconfig document (Thunderbird's <c>config-v1.1.xml</c>: <c>clientConfig</c> →
/// <c>emailProvider</c> → <c>incomingServer</c> / <c>outgoingServer</c>), filling in the address placeholders. The
/// document comes from a server on the internet, so it is read defensively: no DTD, a size limit, and a server whose
/// host, port or security cannot be understood is left out rather than guessed.
/// </summary>
public static class AutoconfigDocument
{
    /// <summary>More than any real provider's document (Gmail's is about 2 KB); a larger one is not read.</summary>
    public const int MaxCharacters = 64 * 1024;

    private static readonly string[] PasswordMethods =
        ["password-cleartext", "plain", "password-encrypted", "secure", "client-ip-address", "ntlm", "gssapi"];

    /// <returns>The servers in the document's order (its provider's preference); null when the text is not an autoconfig document.</returns>
    public static FoundSettings? Parse(string text, MailAddressParts address)
    {
        if (text.Length > MaxCharacters)
        {
            return null;
        }

        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                MaxCharactersInDocument = MaxCharacters,
            });
            document = XDocument.Load(reader);
        }
        catch (XmlException)
        {
            return null;
        }

        if (document.Root is not { Name.LocalName: "clientConfig" } root
            || root.Elements().FirstOrDefault(e => e.Name.LocalName == "emailProvider") is not { } provider)
        {
            return null;
        }

        var servers = provider.Elements()
            .Where(e => e.Name.LocalName is "incomingServer" or "outgoingServer")
            .Select(e => Server(e, address))
            .OfType<FoundServer>()
            .ToArray();
        var name = Child(provider, "displayName") ?? Child(provider, "displayShortName");
        return new FoundSettings(SettingsSource.Autoconfig, name, servers);
    }

    /// <summary>Fills in Thunderbird's placeholders, whatever their case.</summary>
    public static string Fill(string value, MailAddressParts address) => value
        .Replace("%EMAILADDRESS%", address.Address, StringComparison.OrdinalIgnoreCase)
        .Replace("%EMAILLOCALPART%", address.LocalPart, StringComparison.OrdinalIgnoreCase)
        .Replace("%EMAILDOMAIN%", address.Domain, StringComparison.OrdinalIgnoreCase);

    private static FoundServer? Server(XElement element, MailAddressParts address)
    {
        ServerRole? role = (element.Name.LocalName, element.Attribute("type")?.Value.Trim().ToLowerInvariant()) switch
        {
            ("incomingServer", "imap") => ServerRole.Imap,
            ("incomingServer", "pop3") => ServerRole.Pop3,
            ("outgoingServer", "smtp") => ServerRole.Smtp,
            // Exchange, JMAP and the rest are not protocols this product speaks.
            _ => null,
        };
        TransportSecurity? security = Child(element, "socketType")?.ToUpperInvariant() switch
        {
            "SSL" or "TLS" => TransportSecurity.SslOnConnect,
            "STARTTLS" => TransportSecurity.StartTls,
            "PLAIN" => TransportSecurity.None,
            _ => null,
        };
        var host = Child(element, "hostname") is { } named ? Fill(named, address).TrimEnd('.').ToLowerInvariant() : null;
        if (role is null || security is null || !HostName.IsValid(host)
            || !int.TryParse(Child(element, "port"), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return null;
        }

        var methods = element.Elements().Where(e => e.Name.LocalName == "authentication")
            .Select(e => e.Value.Trim().ToLowerInvariant()).ToArray();
        // OAuth2 alone means a password will be refused; beside a password method, the password still works.
        var oauthOnly = methods.Contains("oauth2") && !methods.Any(PasswordMethods.Contains);
        var login = Child(element, "username") is { } user ? Fill(user, address) : address.Address;
        return new FoundServer(role.Value, new ServerEndpoint(host!, port, security.Value), login, oauthOnly);
    }

    private static string? Child(XElement element, string name) =>
        element.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value.Trim() is { Length: > 0 } value ? value : null;
}
