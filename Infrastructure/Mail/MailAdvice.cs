using MailAccounts.Domain.Accounts;

namespace MailAccounts.Infrastructure.Mail;

/// <summary>What kind of trouble a stage met, as the mail code saw it (the exception, the greeting, the certificate check).</summary>
public enum FailureKind
{
    Other,
    NameNotFound,
    ConnectionRefused,
    NotAccepted,
    Silent,
    AnotherProtocol,
    TlsHandshake,
    NoStartTls,
    PlainRefused,
    CertificateUntrusted,
    CertificateExpired,
    CertificateWrongName,
    SignInRefused,
    NoSignInMechanism,
    NetworkPolicy,
    /// <summary>The provider no longer accepts the account's sign-in (a refused renewal): only Reconnect helps.</summary>
    NeedsReconnecting,
}

/// <summary>
/// The facts of a failed stage, kept instead of a sentence so that any reader gets advice in their own language, now
/// or later: the stage, the kind of trouble, the server as it was set (protocol, host, port, security, login) and what
/// the server or the system said (<paramref name="Words"/>; for <see cref="FailureKind.AnotherProtocol"/> the protocol
/// that answered, never the banner itself). Holds no secret.
/// </summary>
public sealed record MailFailure(
    TestStage Stage,
    FailureKind Kind,
    string Protocol,
    string Host,
    int Port,
    TransportSecurity Security,
    string? Login = null,
    string? Words = null);

/// <summary>What a person can do about a failure: a sentence's key in the pages' resources and its values.</summary>
public sealed record Advice(string Key, IReadOnlyList<string> Values);

/// <summary>
/// Turns the facts of a failure into advice: a pure function, so that the account form, Settings » Accounts and the
/// client say the same thing about the same trouble, in the page's language.
/// </summary>
public static class MailAdvice
{
    public const string Imap = "IMAP";
    public const string Pop3 = "POP3";
    public const string Smtp = "SMTP";

    /// <summary>The advice for a failure; null when there is nothing better to say than what the server said.</summary>
    public static Advice? For(MailFailure failure)
    {
        var port = failure.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return failure.Kind switch
        {
            FailureKind.NameNotFound => Of("Advice.NameNotFound", failure.Host),
            FailureKind.ConnectionRefused => Of("Advice.ConnectionRefused", failure.Host, port, DefaultPorts(failure.Protocol)),
            // A client that waits for a greeting on a port that waits for a TLS hello: both stay silent.
            FailureKind.Silent or FailureKind.NotAccepted when failure.Security != TransportSecurity.SslOnConnect && IsSslPort(failure.Port) =>
                Of("Advice.PortNeedsSsl", port),
            FailureKind.Silent when failure.Security != TransportSecurity.SslOnConnect => Of("Advice.SilentMaybeSsl", port),
            FailureKind.Silent => Of("Advice.Silent", port),
            FailureKind.NotAccepted => Of("Advice.NotAccepted", failure.Host, port),
            FailureKind.AnotherProtocol when failure.Words == "TLS" => Of("Advice.PortNeedsSsl", port),
            FailureKind.AnotherProtocol when failure.Words is { Length: > 0 } other && other != failure.Protocol =>
                Of("Advice.AnotherProtocol", port, other, failure.Protocol),
            FailureKind.AnotherProtocol => Of("Advice.NotMailServer", port, failure.Protocol),
            // SSL from the first byte, answered by a greeting in plain text: the port speaks plain text or STARTTLS.
            FailureKind.TlsHandshake when failure.Security == TransportSecurity.SslOnConnect =>
                Of("Advice.PortSpeaksPlain", port, SslPort(failure.Protocol)),
            FailureKind.TlsHandshake => Of("Advice.TlsHandshake", failure.Host),
            FailureKind.NoStartTls => Of("Advice.NoStartTls", SslPort(failure.Protocol)),
            FailureKind.PlainRefused => Of("Advice.PlainRefused", failure.Host),
            FailureKind.CertificateExpired => Of("Advice.CertificateExpired", failure.Host),
            FailureKind.CertificateWrongName => Of("Advice.CertificateWrongName", failure.Host),
            FailureKind.CertificateUntrusted => Of("Advice.CertificateUntrusted", failure.Host),
            FailureKind.SignInRefused when ProviderPresets.ForLoginOrServer(failure.Login, failure.Host) is { AppPassword: true } provider =>
                Of("Advice.AppPassword", provider.Name),
            FailureKind.SignInRefused => Of("Advice.CheckPassword", failure.Login ?? ""),
            FailureKind.NoSignInMechanism => Of("Advice.NoSignInMechanism"),
            FailureKind.NeedsReconnecting => Of("Advice.NeedsReconnecting"),
            _ => null,
        };
    }

    /// <summary>The facts as an account's events keep them (<see cref="TestFailure"/>); null for none.</summary>
    public static TestFailure? Recorded(MailFailure? failure) => failure is null
        ? null
        : new TestFailure(failure.Stage.ToString(), failure.Kind.ToString(), failure.Protocol, failure.Host, failure.Port, failure.Security, failure.Login, failure.Words);

    /// <summary>
    /// The facts an event kept, to give advice on; null for none. A stage or kind this code no longer knows reads as
    /// <see cref="FailureKind.Other"/>, which has no advice: the event's own words are shown instead.
    /// </summary>
    public static MailFailure? Facts(TestFailure? recorded) => recorded is null
        ? null
        : new MailFailure(
            Enum.TryParse<TestStage>(recorded.Stage, out var stage) ? stage : TestStage.Connection,
            Enum.TryParse<FailureKind>(recorded.Kind, out var kind) && Enum.IsDefined(kind) ? kind : FailureKind.Other,
            recorded.Protocol,
            recorded.Host,
            recorded.Port,
            recorded.Security,
            recorded.Login,
            recorded.Words);

    /// <summary>Which protocol a greeting belongs to, by its first word: the report names the protocol, never the banner.</summary>
    public static string? GreetingProtocol(string? said)
    {
        if (string.IsNullOrEmpty(said))
        {
            return null;
        }

        // MailKit quotes the token it did not expect ("Unexpected atom token: +OK"); a raw line begins with it.
        var token = said.Contains("token: ", StringComparison.Ordinal) ? said[(said.LastIndexOf("token: ", StringComparison.Ordinal) + 7)..] : said;
        token = token.TrimStart();
        return token switch
        {
            _ when token.StartsWith("+OK", StringComparison.OrdinalIgnoreCase) || said.Contains(" +OK", StringComparison.Ordinal) => Pop3,
            _ when token.StartsWith("* OK", StringComparison.OrdinalIgnoreCase) || token.StartsWith("*", StringComparison.Ordinal) || said.Contains("* OK", StringComparison.Ordinal) => Imap,
            _ when token.StartsWith("220", StringComparison.Ordinal) || said.Contains(" 220 ", StringComparison.Ordinal) || said.Contains("ESMTP", StringComparison.Ordinal) => Smtp,
            _ when token.StartsWith("HTTP/", StringComparison.OrdinalIgnoreCase) || said.Contains("HTTP/1", StringComparison.Ordinal) => "HTTP",
            _ when token.StartsWith("SSH-", StringComparison.Ordinal) => "SSH",
            // A TLS alert or record: bytes 0x15 0x03 or 0x16 0x03 read as text.
            _ when token.Length > 1 && token[0] is '\u0015' or '\u0016' && token[1] == '\u0003' => "TLS",
            _ => null,
        };
    }

    private static bool IsSslPort(int port) => port is 993 or 995 or 465;

    private static string SslPort(string protocol) => protocol switch
    {
        Pop3 => "995",
        Smtp => "465",
        _ => "993",
    };

    private static string DefaultPorts(string protocol) => protocol switch
    {
        Pop3 => "995, 110",
        Smtp => "587, 465, 25",
        _ => "993, 143",
    };

    private static Advice Of(string key, params string[] values) => new(key, values);
}
