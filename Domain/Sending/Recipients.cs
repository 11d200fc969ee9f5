using System.Net.Mail;
using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.Sending;

/// <summary>One recipient: an address and, where the user wrote one, a display name.</summary>
public sealed record Recipient(string Name, string Address)
{
    public override string ToString() => Name.Length == 0 ? Address : $"\"{Name.Replace("\"", "'", StringComparison.Ordinal)}\" <{Address}>";
}

/// <summary>What an address field held: the recipients it names, and the entries that are not addresses.</summary>
public sealed record RecipientList(IReadOnlyList<Recipient> Recipients, IReadOnlyList<string> Malformed)
{
    public override string ToString() => string.Join(", ", Recipients);
}

public static class Recipients
{
    /// <summary>
    /// Reads an address field as people type it: addresses separated by commas or semicolons, each bare
    /// (anna@example.com) or with a name (Anna Smirnova &lt;anna@example.com&gt;, "Smirnova, Anna" &lt;anna@example.com&gt;).
    /// A line break anywhere makes the entry malformed: it could otherwise start a header of its own.
    /// </summary>
    public static RecipientList Parse(string? field)
    {
        var recipients = new List<Recipient>();
        var malformed = new List<string>();
        foreach (var entry in Split(field ?? ""))
        {
            if (entry.Length == 0)
            {
                continue;
            }

            if (entry.Any(char.IsControl) || !MailAddress.TryCreate(entry, out var parsed) || !EmailAddress.IsValid(parsed.Address))
            {
                malformed.Add(entry);
                continue;
            }

            if (!recipients.Any(r => string.Equals(r.Address, parsed.Address, StringComparison.OrdinalIgnoreCase)))
            {
                recipients.Add(new Recipient(parsed.DisplayName.Trim(), parsed.Address));
            }
        }

        return new RecipientList(recipients, malformed);
    }

    /// <summary>Splits on commas and semicolons outside quotes and angle brackets.</summary>
    private static IEnumerable<string> Split(string field)
    {
        var start = 0;
        var quoted = false;
        var angle = false;
        for (var i = 0; i < field.Length; i++)
        {
            switch (field[i])
            {
                case '"':
                    quoted = !quoted;
                    break;
                case '<' when !quoted:
                    angle = true;
                    break;
                case '>' when !quoted:
                    angle = false;
                    break;
                case ',' or ';' when !quoted && !angle:
                    yield return field[start..i].Trim();
                    start = i + 1;
                    break;
            }
        }

        yield return field[start..].Trim();
    }
}
