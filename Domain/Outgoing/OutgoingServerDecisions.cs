using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.Outgoing;

/// <summary>The outgoing-server part of a form. Gmail and Yahoo! fill host, port and security themselves.</summary>
/// <param name="SignsInWithToken">The server signs in as the mailbox of an account that signs in with a provider, with that
/// account's access token: it has no password of its own (see MailSessions.SmtpRequestAsync).</param>
public sealed record OutgoingServerForm(
    OutgoingServerKind Kind,
    string? Host = null,
    int? Port = null,
    TransportSecurity Security = TransportSecurity.StartTls,
    bool UseAuthentication = true,
    string? Login = null,
    Guid? NewPasswordSecretId = null,
    bool SignsInWithToken = false);

public static class OutgoingServerDecisions
{
    /// <summary>Hosts and ports of the providers that have their own button.</summary>
    public static ServerEndpoint? Preset(OutgoingServerKind kind) => kind switch
    {
        OutgoingServerKind.Gmail => new ServerEndpoint("smtp.gmail.com", 465, TransportSecurity.SslOnConnect),
        OutgoingServerKind.Yahoo => new ServerEndpoint("smtp.mail.yahoo.com", 465, TransportSecurity.SslOnConnect),
        _ => null,
    };

    public static int DefaultPort(TransportSecurity security) => security switch
    {
        TransportSecurity.SslOnConnect => 465,
        TransportSecurity.StartTls => 587,
        _ => 25,
    };

    /// <summary>
    /// An administrator sets the system's default server and, when <paramref name="typedDomains"/> is given, the domains
    /// it may send from (<paramref name="effectiveDomains"/>: what applies now). Both parts of the form are refused at
    /// once, and nothing of either is kept.
    /// </summary>
    public static Decision ConfigureSystemOutgoingServer(
        OutgoingServer? current, OutgoingServerForm form, IReadOnlyList<string> effectiveDomains, IEnumerable<string?>? typedDomains, Guid by, DateTimeOffset at)
    {
        var id = OutgoingServer.SystemDefaultId;
        var server = Configure(id, null, current, form, by, at);
        var domains = typedDomains is null ? Decision.Accept() : SenderDomains.Choose(id, effectiveDomains, typedDomains, by, at);
        return server.IsAccepted && domains.IsAccepted
            ? Decision.Accept([.. server.Events, .. domains.Events])
            : Decision.Reject([.. server.Violations, .. domains.Violations]);
    }

    public static Decision Configure(Guid serverId, Guid? ownerId, OutgoingServer? current, OutgoingServerForm form, Guid by, DateTimeOffset at)
    {
        var preset = Preset(form.Kind);
        var host = (preset?.Host ?? form.Host ?? "").Trim().ToLowerInvariant();
        var security = preset?.Security ?? form.Security;
        var port = preset?.Port ?? form.Port ?? DefaultPort(security);
        var useAuthentication = preset is not null || form.UseAuthentication;
        var login = useAuthentication ? (form.Login ?? "").Trim() : "";
        Guid? secret = useAuthentication && !form.SignsInWithToken ? form.NewPasswordSecretId ?? current?.PasswordSecretId : null;

        var violations = new List<Violation>();
        if (!Enum.IsDefined(form.Kind) || !Enum.IsDefined(form.Security))
        {
            violations.Add(new(nameof(form.Security), AccountViolations.ChoiceInvalid));
        }

        violations.AddRange(ServerEndpoint.Check(host, port));

        if (useAuthentication && login.Length == 0)
        {
            violations.Add(new(nameof(form.Login), AccountViolations.LoginRequired));
        }

        if (useAuthentication && secret is null && !form.SignsInWithToken)
        {
            violations.Add(new("Password", AccountViolations.PasswordRequired));
        }
        else if (useAuthentication && !form.SignsInWithToken && form.NewPasswordSecretId is null && current is not null
            && (current.Host != host || current.Port != port || current.Security != security || current.Login != login))
        {
            // The saved password goes only to the server and login it was saved for: another one needs it typed again.
            violations.Add(new("Password", AccountViolations.PasswordRequiredForServer));
        }

        if (violations.Count > 0)
        {
            return Decision.Reject(violations);
        }

        var next = new OutgoingServer(serverId, ownerId, form.Kind, host, port, security, useAuthentication, login, secret)
        {
            SenderDomains = current?.SenderDomains,
        };
        return next == current
            ? Decision.Accept()
            : Decision.Accept(new OutgoingServerConfigured(serverId, ownerId, form.Kind, host, port, security, useAuthentication, login, secret, by, at));
    }
}
