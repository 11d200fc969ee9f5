using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Contacts;
using MailAccounts.Domain.Verification;
using MailAccounts.Infrastructure.Common;

namespace MailAccounts.Infrastructure.Contacts;

/// <summary>A row of the preview: the contact it would add, or why it would not (its refusals, in the form's fields).</summary>
public sealed record ImportRow(int Line, ContactForm Form, IReadOnlyList<Violation> Problems)
{
    public bool Good => Problems.Count == 0;
}

/// <summary>What an import of the file would do: each row good or bad, or why the file cannot be read at all.</summary>
public sealed record ImportPreview(string FileName, IReadOnlyList<ImportRow> Rows, IReadOnlyList<string> IgnoredColumns, string Encoding, string Delimiter, string? Problem)
{
    public int Good => Rows.Count(r => r.Good);

    /// <summary>The lines that would be imported: the confirm must find the same ones, or nothing is imported.</summary>
    public IReadOnlyList<int> GoodLines => [.. Rows.Where(r => r.Good).Select(r => r.Line)];
}

/// <summary>
/// Reads and checks a contacts file against the contacts as they are. A row is bad when its contact would be refused
/// by hand (<see cref="ContactDecisions.Validate"/>), when one of its addresses is already a contact's (named), when
/// an earlier row of the file has it, or when the line is not well-formed CSV. Rows are not merged into an existing
/// contact: an address belongs to one addressee, and a file must not change a contact someone keeps by hand; the
/// preview names the contact to edit instead.
/// </summary>
public static class ContactImport
{
    public const string Malformed = "ContactImport.Malformed";
    public const string AlsoOnLine = "ContactImport.AlsoOnLine";

    public static async Task<ImportPreview> PreviewAsync(IQuerySession session, string fileName, byte[] content, CancellationToken cancellationToken)
    {
        var csv = ContactCsv.Read(content);
        if (csv.Problem is not null)
        {
            return new ImportPreview(fileName, [], [], csv.Encoding, csv.Delimiter, csv.Problem);
        }

        var existing = await ContactQueries.HoldersAsync(session, csv.Rows.SelectMany(r => r.Form.Addresses), cancellationToken);
        var inFile = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = new List<ImportRow>(csv.Rows.Count);
        foreach (var row in csv.Rows)
        {
            var (clean, violations) = ContactDecisions.Validate(row.Form, existing, Guid.Empty);
            var problems = violations.ToList();
            if (row.Malformed)
            {
                problems.Insert(0, new Violation("", Malformed));
            }

            var addresses = clean.Addresses.Select(AddressVerification.Normalise).ToArray();
            for (var i = 0; i < addresses.Length; i++)
            {
                if (inFile.TryGetValue(addresses[i], out var earlier) && !existing.ContainsKey(addresses[i]))
                {
                    problems.Add(new Violation(ContactDecisions.AddressField(i), AlsoOnLine, earlier.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }
            }

            foreach (var address in addresses)
            {
                inFile.TryAdd(address, row.Line);
            }

            rows.Add(new ImportRow(row.Line, problems.Count == 0 ? clean : row.Form, problems));
        }

        return new ImportPreview(fileName, rows, csv.IgnoredColumns, csv.Encoding, csv.Delimiter, null);
    }
}

/// <summary>
/// Import pressed on the preview: the file is read and checked again here (the preview the browser showed is not
/// trusted), and all its good rows are added in one transaction, or none when the file now reads differently from
/// what was confirmed (<paramref name="ConfirmedLines"/>: someone added one of its addresses meanwhile, say).
/// </summary>
public sealed record ImportContacts(Actor Actor, string FileName, byte[] Content, IReadOnlyList<int> ConfirmedLines);

/// <summary>How many contacts an import added, or why it added none.</summary>
public sealed record ImportOutcome(int Added, ImportPreview Preview, IReadOnlyList<Violation> Violations) : Outcome(Guid.Empty, Violations);

public static class ImportContactsHandler
{
    public const string NothingToImport = "ContactImport.NothingToImport";
    public const string Changed = "ContactImport.Changed";

    public static async Task<Outcome> Handle(ImportContacts command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var preview = await ContactImport.PreviewAsync(session, command.FileName, command.Content, cancellationToken);
        if (preview.Problem is { } problem)
        {
            return new ImportOutcome(0, preview, [new Violation("", problem)]);
        }

        if (!preview.GoodLines.SequenceEqual(command.ConfirmedLines))
        {
            return new ImportOutcome(0, preview, [new Violation("", Changed)]);
        }

        if (preview.Good == 0)
        {
            return new ImportOutcome(0, preview, [new Violation("", NothingToImport)]);
        }

        foreach (var row in preview.Rows.Where(r => r.Good))
        {
            var id = Guid.CreateVersion7();
            var decision = ContactDecisions.Add(id, row.Form, new Dictionary<string, AddressHolder>(), ContactDecisions.CsvSource, command.FileName, command.Actor.UserId, now);
            session.Events.StartStream<Contact>(id, decision.Events.ToArray());
            AddressClaims.Follow(session, null, decision.Events);
        }

        return new ImportOutcome(preview.Good, preview, []);
    }
}
