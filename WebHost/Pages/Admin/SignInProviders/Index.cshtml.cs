using Marten;
using MailAccounts.Domain.SignInProviders;
using MailAccounts.Infrastructure.SignInProviders;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MailAccounts.WebHost.Pages.Admin.SignInProviders;

/// <summary>The OAuth clients the organisation registered with providers, which the account form signs in with.</summary>
public sealed class IndexModel(IQuerySession session) : PageModel
{
    public IReadOnlyList<SignInProvider> Providers { get; private set; } = [];

    [TempData]
    public bool Saved { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Providers = await SignInProviderQueries.AllAsync(session, cancellationToken);
}
