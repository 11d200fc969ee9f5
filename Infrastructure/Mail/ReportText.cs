using System.Globalization;
using System.Resources;

namespace MailAccounts.Infrastructure.Mail;

/// <summary>
/// A sentence of a connection report, by its key in <c>TestWords.resx</c> and its values: in English for the account's
/// history, in the reader's language on the page. A server's own words go in as values, untranslated.
/// </summary>
public sealed class ReportText
{
    private static readonly ResourceManager Words = new("MailAccounts.Infrastructure.Mail.TestWords", typeof(ReportText).Assembly);

    private readonly string? _key;
    private readonly object[] _values;

    private ReportText(string? key, object[] values) => (_key, _values) = (key, values);

    public static ReportText Of(string key, params object[] values) => new(key, values);

    /// <summary>Text that has no translation: what a server or the network policy said.</summary>
    public static ReportText Verbatim(string text) => new(null, [text]);

    public string In(CultureInfo culture) => _key is null
        ? (string)_values[0]
        : string.Format(culture, Words.GetString(_key, culture) ?? _key, [.. _values.Select(v => v is ReportText said ? said.In(culture) : v)]);

    /// <summary>The English sentence, as the history keeps it.</summary>
    public override string ToString() => In(CultureInfo.InvariantCulture);
}
