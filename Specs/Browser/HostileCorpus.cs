using MimeKit;

namespace MailAccounts.Specs.Browser;

/// <summary>
/// The hostile messages in HostileHtml/, one file per case and named after it: an .html file is the HTML body of a
/// message built here; an .eml file is a whole message, for cases where the MIME structure or the headers are the point.
/// </summary>
public static class HostileCorpus
{
    /// <summary>The header by which a delivered message is found again; Postfix keeps it as it is.</summary>
    public const string CaseHeader = "X-Corpus-Case";

    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Browser", "HostileHtml");

    public static IReadOnlyList<string> Names { get; } = Directory.Exists(Folder)
        ? Directory.EnumerateFiles(Folder).Where(f => f.EndsWith(".html", StringComparison.Ordinal) || f.EndsWith(".eml", StringComparison.Ordinal))
            .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray()
        : throw new InvalidOperationException($"The hostile corpus is not at {Folder}; Specs.csproj copies it there.");

    public static MimeMessage Message(string name)
    {
        var path = Path.Combine(Folder, name);
        MimeMessage message;
        if (name.EndsWith(".eml", StringComparison.Ordinal))
        {
            message = MimeMessage.Load(path);
        }
        else
        {
            message = new MimeMessage
            {
                Subject = "Corpus: " + name,
                Date = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero),
                Body = new TextPart("html") { Text = File.ReadAllText(path) },
            };
            message.From.Add(new MailboxAddress("Corpus", "corpus@evil.invalid"));
            message.To.Add(new MailboxAddress("Victim", "victim@" + Support.ProductFixture.MailDomain));
        }

        message.Headers.Add(CaseHeader, name);
        return message;
    }
}
