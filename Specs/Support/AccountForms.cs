using System.Globalization;
using System.Text.RegularExpressions;

namespace MailAccounts.Specs.Support;

/// <summary>The account form as a browser posts it.</summary>
public static partial class AccountForms
{
    public const string AddPage = "/Email/Settings/Accounts/Add";

    /// <summary>A complete, valid form for a server that is never contacted on save.</summary>
    public static Dictionary<string, string> Valid(string title, string address, string name = "Anna") => new()
    {
        ["Input.Title"] = title,
        ["Input.Name"] = name,
        ["Input.Address"] = address,
        ["Input.Login"] = address,
        ["Input.Password"] = "password-" + Guid.NewGuid().ToString("N")[..8],
        ["Input.Host"] = "imap.example.com",
        ["Input.Protocol"] = "Imap",
        ["Input.UseSsl"] = "true",
        ["Input.OutgoingServer"] = "",
    };

    /// <summary>A form for a mailbox of the private Dovecot, over IMAPS (or POP3S) on the given host.</summary>
    public static Dictionary<string, string> For(ProductFixture product, Mailbox mailbox, string protocol = "Imap", string? host = null, string? title = null)
    {
        var endpoints = product.MailServer.Endpoints;
        var port = protocol == "Imap" ? endpoints.Imaps : endpoints.Pop3s;
        var form = Valid(title ?? "Box " + Guid.NewGuid().ToString("N")[..6], mailbox.Address);
        form["Input.Login"] = mailbox.Address;
        form["Input.Password"] = mailbox.Password;
        form["Input.Host"] = host ?? endpoints.Host;
        form["Input.Protocol"] = protocol;
        form["Input.Port"] = port.ToString(CultureInfo.InvariantCulture);
        return form;
    }

    /// <summary>A form for a mailbox of the private Dovecot that sends through the private Postfix with its own login (STARTTLS).</summary>
    public static Dictionary<string, string> SendingAs(ProductFixture product, Mailbox mailbox, string? title = null, string forwardTo = "") =>
        For(product, mailbox, title: title)
            .With("Input.Name", "Anna Smirnova")
            .With("Input.ForwardTo", forwardTo)
            .With("Input.OutgoingServer", "new")
            .With("Input.NewServerKind", "Other")
            .With("Input.NewServerHost", product.MailServer.Endpoints.Host)
            .With("Input.NewServerPort", product.MailServer.Endpoints.Smtp.ToString(CultureInfo.InvariantCulture))
            .With("Input.NewServerSecurity", "StartTls")
            .With("Input.NewServerUseAuthentication", "true")
            .With("Input.NewServerLogin", mailbox.Address)
            .With("Input.NewServerPassword", mailbox.Password);

    public static Dictionary<string, string> With(this Dictionary<string, string> form, string field, string value)
    {
        var copy = new Dictionary<string, string>(form) { [field] = value };
        return copy;
    }

    public static string HistoryPathIn(string listHtml) => HistoryLink().Match(listHtml).Groups[1].Value;

    public static string EditPathIn(string listHtml) => EditLink().Match(listHtml).Groups[1].Value;

    [GeneratedRegex("href=\"(/Email/Settings/Accounts/History/[0-9a-f-]{36})\"")]
    private static partial Regex HistoryLink();

    [GeneratedRegex("href=\"(/Email/Settings/Accounts/Edit/[0-9a-f-]{36})\"")]
    private static partial Regex EditLink();
}
