namespace MailAccounts.Infrastructure.Import;

/// <summary>The <c>Import</c> section of the configuration.</summary>
public sealed class ImportOptions
{
    public const string Section = "Import";

    /// <summary>Above this size a message's header and structure are kept, not its content: it is opened on the server.</summary>
    public long MaxMessageBytes { get; set; } = 52_428_800;

    /// <summary>At most this many messages are fetched and committed together.</summary>
    public int BatchMessages { get; set; } = 100;

    /// <summary>And at most about this many bytes: a batch closes once its messages reach it.</summary>
    public long BatchBytes { get; set; } = 16_777_216;

    /// <summary>How many accounts one host imports at once; each account is imported by one worker at a time.</summary>
    public int Workers { get; set; } = 4;
}
