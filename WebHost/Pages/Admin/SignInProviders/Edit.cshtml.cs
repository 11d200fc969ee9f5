using Marten;
using MailAccounts.Domain.SignInProviders;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.SignInProviders;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Admin.SignInProviders;

/// <summary>Registers an OAuth client with a provider, or changes one: its kind stays, its secret is never shown again.</summary>
public sealed class EditModel(IQuerySession session, Commands commands, IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty]
    public ProviderInput Input { get; set; } = new();

    public Guid? Id { get; private set; }

    public bool IsNew => Id is null;

    /// <summary>The endpoints and scopes a big provider's registration uses, shown so the administrator sees what is sent where.</summary>
    public SignInProvider? Preset { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken cancellationToken)
    {
        if (id is { } existing)
        {
            if (await session.LoadAsync<SignInProvider>(existing, cancellationToken) is not { } provider)
            {
                return NotFound();
            }

            Id = existing;
            Preset = provider.Kind == SignInProviderKind.Generic ? null : provider;
            Input = new ProviderInput
            {
                Kind = provider.Kind,
                Name = provider.Name,
                ClientId = provider.ClientId,
                Tenant = provider.Tenant,
                AuthorizationEndpoint = provider.Kind == SignInProviderKind.Generic ? provider.AuthorizationEndpoint : null,
                TokenEndpoint = provider.Kind == SignInProviderKind.Generic ? provider.TokenEndpoint : null,
                Scopes = provider.Kind == SignInProviderKind.Generic ? provider.Scopes : null,
            };
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id, CancellationToken cancellationToken)
    {
        if (id is { } existing && await session.LoadAsync<SignInProvider>(existing, cancellationToken) is null)
        {
            return NotFound();
        }

        Id = id;
        var outcome = await commands.InvokeAsync(new ConfigureSignInProvider(
            User.Id(), id ?? Guid.CreateVersion7(), Input.Kind, Input.Name, Input.ClientId,
            Input.ClientSecret is { Length: > 0 } secret ? new Secret(secret) : null,
            Input.Tenant, Input.AuthorizationEndpoint, Input.TokenEndpoint, Input.Scopes), cancellationToken);
        Input.ClientSecret = null;
        if (!outcome.Succeeded)
        {
            ModelState.AddViolations(outcome.Violations, text, nameof(Input));
            return Page();
        }

        TempData[nameof(IndexModel.Saved)] = true;
        return RedirectToPage("Index");
    }

    public sealed class ProviderInput
    {
        public SignInProviderKind Kind { get; set; } = SignInProviderKind.Google;

        public string? Name { get; set; }

        public string? ClientId { get; set; }

        public string? ClientSecret { get; set; }

        public string? Tenant { get; set; }

        public string? AuthorizationEndpoint { get; set; }

        public string? TokenEndpoint { get; set; }

        public string? Scopes { get; set; }
    }
}
