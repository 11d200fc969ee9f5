using Marten;
using MailAccounts.Domain.Contacts;
using MailAccounts.Domain.Search;
using MailAccounts.Domain.Verification;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Contacts;
using MailAccounts.Infrastructure.Search;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.Infrastructure.Verification;
using MailAccounts.WebHost.Hosting;
using MailAccounts.WebHost.Search;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Contacts;

/// <summary>
/// One contact: its details, its addresses (the primary marked) each with what the system knows of it (valid, or
/// invalid since when, with the status, the server's words and a link to the bounce, and Mark valid), and its
/// correspondence as the viewer may see it, with the search box over it: a search looks in the imported letters from,
/// to or copied to the contact's addresses (the system keeps the text of those alone; mail sent through it keeps its
/// subject and recipients, and is found once its Sent folder is imported), a page of the user's page size at a time,
/// the matched words marked in each letter's preview. Administrators may delete it.
/// </summary>
public sealed class ContactModel(IQuerySession session, Commands commands, IStringLocalizer<SharedResource> text) : PageModel
{
    public Contact Contact { get; private set; } = null!;

    public IReadOnlyDictionary<string, AddressState> States { get; private set; } = new Dictionary<string, AddressState>();

    public IReadOnlyList<CorrespondenceItem> Correspondence { get; private set; } = [];

    public string? Problem { get; private set; }

    /// <summary>The search box over the correspondence.</summary>
    public SearchBox Search { get; private set; } = null!;

    /// <summary>Whether the correspondence shown is a search's results.</summary>
    public bool Searching { get; private set; }

    /// <summary>The preview of each letter found, the words searched for marked; by letter.</summary>
    public IReadOnlyDictionary<Guid, IReadOnlyList<HeadlinePart>> Headlines { get; private set; } = new Dictionary<Guid, IReadOnlyList<HeadlinePart>>();

    /// <summary>The search's first page, when this is a later one; its next page, when there is one.</summary>
    public string? FirstPage { get; private set; }

    public string? NextPage { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, [FromQuery(Name = "after")] string? after = null, CancellationToken cancellationToken = default) =>
        await ShowAsync(id, cancellationToken, after);

    /// <summary>Mark valid beside an invalid address: its mark goes, here and wherever the address appears.</summary>
    public async Task<IActionResult> OnPostMarkValidAsync(Guid id, string? address, CancellationToken cancellationToken)
    {
        var outcome = await commands.InvokeAsync(new MarkAddressValid(User.Actor(), id, address ?? ""), cancellationToken);
        if (outcome.Violations.Any(v => v.Code == ContactViolations.Unknown))
        {
            return NotFoundContact();
        }

        if (!outcome.Succeeded)
        {
            Problem = string.Join(" ", outcome.Violations.Select(v => ContactViolationText.Of(v, text)));
            return await ShowAsync(id, cancellationToken);
        }

        TempData["Notice"] = string.Format(text["Contacts.MarkedValid"].Value, address);
        return LocalRedirect($"/Contacts/Contact?id={id}");
    }

    /// <summary>Administrators only; anyone else is refused (403) and the contact stays.</summary>
    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var outcome = await commands.InvokeAsync(new DeleteContact(User.Actor(), id), cancellationToken);
        if (outcome.Violations.Any(v => v.Code == ContactViolations.Unknown))
        {
            return NotFoundContact();
        }

        if (outcome.Violations.Any(v => v.Code == ContactViolations.AdministratorsOnly))
        {
            return Forbid();
        }

        TempData["Notice"] = text["Contacts.Deleted"].Value;
        return LocalRedirect("/Contacts");
    }

    public AddressState? StateOf(string address) => States.GetValueOrDefault(AddressVerification.Normalise(address));

    /// <summary>Where a bounce can be read: the report in its folder on the live mail pages; a refusal while sending has no message.</summary>
    public static string? BounceUrl(BounceEvidence evidence) => evidence is { Source: BounceSource.Report, Folder: { } folder, Uid: > 0 }
        ? $"/Email/Message?account={evidence.AccountId}&folder={Uri.EscapeDataString(folder)}&uid={evidence.Uid}"
        : null;

    public static string LinkOf(CorrespondenceItem item) => item.Kind == CorrespondenceKind.Sent
        ? item.Folder is { Length: > 0 } folder ? $"/Email?account={item.AccountId}&folder={Uri.EscapeDataString(folder)}" : $"/Email?account={item.AccountId}"
        : $"/Email/Imported/Letter?id={item.Id}";

    private async Task<IActionResult> ShowAsync(Guid id, CancellationToken cancellationToken, string? after = null)
    {
        if (await ContactQueries.FindAsync(session, id, cancellationToken) is not { } contact)
        {
            return NotFoundContact();
        }

        Contact = contact;
        States = await AddressStates.OfAsync(session, contact.Addresses.Select(a => a.Address), cancellationToken);
        var form = SearchForm.Read(Request.Query);
        Searching = form.IsSearch;
        var problems = new List<SearchProblem>();
        if (Searching)
        {
            var request = form.Parse(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, ReaderZone.Current).DateTime), [SearchScope.Imported]);
            problems.AddRange(request.Problems);
            if (request.Criteria is { } criteria)
            {
                var pageSize = (await MailSettingsQueries.ForUserAsync(session, User.Id(), cancellationToken)).PageSize;
                var results = await ImportedSearch.SearchAsync(session, User.Actor(), criteria, after, pageSize, cancellationToken,
                    exchangedWith: [.. contact.Addresses.Select(a => a.Address)]);
                problems.AddRange(results.Problems.Select(p => new SearchProblem(SearchForm.Box, p)));
                var ids = (await Infrastructure.Import.ImportedMail.AccountsAsync(session, User.Actor(), cancellationToken)).Select(a => a.Id).ToArray();
                Correspondence = [.. results.Letters.Select(f => Infrastructure.Contacts.Correspondence.ItemOf(f.Letter, contact, ids))];
                Headlines = results.Letters.Where(f => f.Headline is { Count: > 0 }).ToDictionary(f => f.Letter.Id, f => f.Headline!);
                var here = $"/Contacts/Contact?id={contact.Id}&{form.QueryString()}";
                FirstPage = after is null ? null : here;
                NextPage = results.After is { } next ? here + "&after=" + Uri.EscapeDataString(next) : null;
            }
        }
        else
        {
            Correspondence = await Infrastructure.Contacts.Correspondence.OfAsync(session, User.Actor(), contact, cancellationToken);
        }

        Search = new SearchBox(form, "/Contacts/Contact", [SearchScope.Imported], [new("id", contact.Id.ToString())], problems,
            Notes: Searching ? [text["Contact.SearchNote"].Value] : null, Flags: false);
        return Page();
    }

    private IActionResult NotFoundContact() => this.NotFoundPage(new Missing("contact", "/Contacts", "Contacts.BackToList"));
}
