using Marten;
using MailAccounts.Domain.Contacts;
using MailAccounts.Domain.Verification;
using MailAccounts.Infrastructure.Contacts;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.Infrastructure.Verification;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MailAccounts.WebHost.Pages.Contacts;

/// <summary>
/// Communication » Contacts: the organisation's addressees, searched by name, organisation or address, a page of the
/// user's page size, each address with its mark (one query for the states of all the addresses shown).
/// </summary>
public sealed class IndexModel(IQuerySession session) : PageModel
{
    public ContactPage Contacts { get; private set; } = new([], 0, 1, 1);

    public IReadOnlyDictionary<string, AddressState> States { get; private set; } = new Dictionary<string, AddressState>();

    public string Search { get; private set; } = "";

    public async Task OnGetAsync(string? q, [FromQuery(Name = "p")] int pageNumber = 1, CancellationToken cancellationToken = default)
    {
        Search = (q ?? "").Trim();
        var pageSize = (await MailSettingsQueries.ForUserAsync(session, User.Id(), cancellationToken)).PageSize;
        Contacts = await ContactQueries.PageAsync(session, Search, pageNumber, pageSize, cancellationToken);
        States = await AddressStates.OfAsync(session, Contacts.Contacts.SelectMany(c => c.Addresses).Select(a => a.Address), cancellationToken);
    }

    public AddressState? StateOf(string address) => States.GetValueOrDefault(AddressVerification.Normalise(address));

    public string PageUrl(int page) => $"/Contacts?{(Search.Length > 0 ? $"q={Uri.EscapeDataString(Search)}&" : "")}p={page}";

    /// <summary>The first and last page and those around the current one, as the mail lists number them.</summary>
    public IEnumerable<int> PageNumbers() =>
        new[] { 1, Contacts.PageCount }.Concat(Enumerable.Range(Contacts.Page - 3, 7)).Where(p => p >= 1 && p <= Contacts.PageCount).Distinct().Order();

    public static string Title(Contact contact) => ContactQueries.Title(contact);
}
