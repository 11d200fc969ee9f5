using System.Globalization;
using Marten;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Contacts;
using MailAccounts.Domain.Verification;
using MailAccounts.Infrastructure.Contacts;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Contacts;

/// <summary>
/// What happened to a contact, newest first, as an account's History tells it: who, when, what, and the values it
/// left; with what the system learnt about its addresses (bounces, marks and Mark valid) among them.
/// </summary>
public sealed class HistoryModel(IQuerySession session, IStringLocalizer<SharedResource> text) : PageModel
{
    /// <summary>An event as a person reads it: the values are theirs to read, never a secret (a contact holds none).</summary>
    public sealed record Row(DateTimeOffset At, string EventType, string What, string Who, IReadOnlyList<(string Label, string Value)> Details);

    public Guid Id { get; private set; }

    public string Title { get; private set; } = "";

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await ContactQueries.FindAsync(session, id, cancellationToken) is not { } contact
            || await ContactHistory.LoadAsync(session, id, cancellationToken) is not { } history)
        {
            return this.NotFoundPage(new Missing("contact", "/Contacts", "Contacts.BackToList"));
        }

        Id = id;
        Title = ContactQueries.Title(contact);
        Rows = [.. history.Select(e => new Row(
            e.At, e.EventType, text["ContactHistory." + e.EventType].Value,
            e.By == Actors.System || e.By == Guid.Empty ? text["History.System"].Value : e.ByName,
            Details(e.Event)))];
        return Page();
    }

    private List<(string, string)> Details(object e)
    {
        string T(string key) => text[key].Value;
        string Or(string value) => value.Length > 0 ? value : T("Common.Empty");
        return e switch
        {
            ContactAdded a =>
            [
                (T("Contact.Name"), Or(a.Name)), (T("Contact.Organisation"), Or(a.Organisation)), (T("Contact.Notes"), Or(a.Notes)),
                (T("Contact.Addresses"), Or(string.Join(", ", a.Addresses.Select(x => x.Primary ? $"{x.Address} ({T("Contact.PrimaryMark")})" : x.Address)))),
                (T("Contact.Source"), a.SourceDetail is { Length: > 0 } file ? $"{T("Contact.Source." + a.Source)}: {file}" : T("Contact.Source." + a.Source)),
            ],
            ContactDetailsChanged c => [(T("Contact.Name"), Or(c.Name)), (T("Contact.Organisation"), Or(c.Organisation)), (T("Contact.Notes"), Or(c.Notes))],
            ContactAddressAdded a => [(T("Contact.Address"), a.Address)],
            ContactAddressRemoved r => [(T("Contact.Address"), r.Address)],
            ContactPrimaryAddressChosen p => [(T("Contact.Address"), p.Address)],
            AddressBounced b =>
            [
                (T("Contact.Address"), b.Address), (T("Contact.BounceClass"), T("Contact.BounceClass." + b.Class)),
                (T("Contact.Status"), Or(b.Status ?? "")), (T("Contact.ServerWords"), Or(b.Diagnostic)),
                (T("Contact.BounceDate"), b.Evidence.ReportDate.Display()),
            ],
            AddressMarkedInvalid m =>
            [
                (T("Contact.Address"), m.Address), (T("Contact.Status"), Or(m.Status ?? "")), (T("Contact.ServerWords"), Or(m.Diagnostic)),
                (T("Contact.BounceDate"), m.Evidence.ReportDate.Display()),
            ],
            AddressMarkedValid v =>
            [
                (T("Contact.Address"), v.Address), (T("Contact.ValidatedBy"), T("Contact.ValidatedBy." + v.How)),
            ],
            _ => [],
        };
    }

    public static string Iso(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
}
