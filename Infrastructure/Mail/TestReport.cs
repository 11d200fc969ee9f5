namespace MailAccounts.Infrastructure.Mail;

/// <summary>The stages a connection goes through, in order; a report names the one that failed.</summary>
public enum TestStage
{
    NameResolution,
    Connection,
    Tls,
    Authentication,
    Folders,
    Sending,
}

/// <summary>
/// A stage's outcome; <paramref name="Detail"/> is in English, as the history keeps it. A failed stage carries its
/// <paramref name="Facts"/> too, from which the pages give advice in their reader's language.
/// </summary>
public sealed record StageResult(TestStage Stage, bool Succeeded, ReportText ReportText, MailFailure? Facts = null)
{
    public string Detail => ReportText.ToString();

    /// <summary>The detail in the reader's language; a server's own words stay as the server wrote them.</summary>
    public string DetailIn(System.Globalization.CultureInfo culture) => ReportText.In(culture);
}

/// <summary>What the server's certificate says, for the user to judge; <paramref name="Fingerprint"/> is SHA-256 in hex.</summary>
public sealed record CertificateInfo(string Host, string Subject, string Issuer, DateTimeOffset NotAfter, string Fingerprint, bool Valid, bool Pinned);

/// <summary>A folder on an IMAP server, with its place in the hierarchy and its special use (\Sent, \Trash, …).</summary>
public sealed record ServerFolder(string FullName, string Name, int Depth, bool Selectable, string? SpecialUse);

/// <summary>What a connection test or a test e-mail found, stage by stage. Holds no secret.</summary>
public sealed class TestReport
{
    private readonly List<StageResult> _stages = [];

    public IReadOnlyList<StageResult> Stages => _stages;

    public CertificateInfo? Certificate { get; set; }

    public IReadOnlyList<ServerFolder> Folders { get; set; } = [];

    /// <summary>Whether the failure may pass by itself, so that trying again later makes sense.</summary>
    public bool Temporary { get; set; }

    public bool Succeeded => _stages.Count > 0 && _stages.TrueForAll(s => s.Succeeded);

    public StageResult? Failure => _stages.Find(s => !s.Succeeded);

    public void Pass(TestStage stage, ReportText detail) => _stages.Add(new StageResult(stage, true, detail));

    public void Fail(TestStage stage, ReportText detail) => _stages.Add(new StageResult(stage, false, detail));

    /// <summary>A failure with its facts: the kind of trouble and, where there are some, the server's or the system's words.</summary>
    public void Fail(TestStage stage, ReportText detail, FailureKind kind, string? words = null) =>
        _stages.Add(new StageResult(stage, false, detail, new MailFailure(stage, kind, Protocol, Server?.Host ?? "", Server?.Port ?? 0,
            Server?.Security ?? MailAccounts.Domain.Accounts.TransportSecurity.SslOnConnect, Login, words)));

    /// <summary>The server the stages talk to, as it was set, for the facts of a failure.</summary>
    public MailAccounts.Domain.Accounts.ServerEndpoint? Server { get; set; }

    /// <summary>IMAP, POP3 or SMTP (<see cref="MailAdvice"/>'s names).</summary>
    public string Protocol { get; set; } = MailAdvice.Imap;

    /// <summary>The login being signed in with, once signing in starts.</summary>
    public string? Login { get; set; }

    /// <summary>What a server answered, in its own words.</summary>
    public void Pass(TestStage stage, string serverWords) => Pass(stage, ReportText.Verbatim(serverWords));

    /// <summary>What a server answered, in its own words.</summary>
    public void Fail(TestStage stage, string serverWords) => Fail(stage, ReportText.Verbatim(serverWords));

    /// <summary>One line for the history: the failed stage and what the server said, or what succeeded.</summary>
    public string Summary => Failure is { } failure ? $"{failure.Stage}: {failure.Detail}" : _stages.LastOrDefault()?.Detail ?? "";
}
