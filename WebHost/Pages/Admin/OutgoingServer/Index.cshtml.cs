using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Outgoing;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Outgoing;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Admin.OutgoingServer;

/// <summary>The system's default outgoing server, which every account may send through.</summary>
public sealed class IndexModel(IQuerySession session, Commands commands, SenderDomainPolicy senders, IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty]
    public ServerInput Input { get; set; } = new();

    [TempData]
    public bool Saved { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var server = await OutgoingServerQueries.SystemDefaultAsync(session, cancellationToken);
        Input.SenderDomains = string.Join("\n", senders.Allowed(server));
        if (server is not null)
        {
            Input = new ServerInput
            {
                Host = server.Host,
                Port = server.Port,
                Security = server.Security,
                UseAuthentication = server.UseAuthentication,
                Login = server.Login,
                SenderDomains = Input.SenderDomains,
            };
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var outcome = await commands.InvokeAsync(new ConfigureSystemOutgoingServer(User.Id(), new OutgoingServerFields(
            OutgoingServerKind.Other, Input.Host, Input.Port, Input.Security, Input.UseAuthentication, Input.Login,
            Input.Password is { Length: > 0 } password ? new Secret(password) : null), 
            // A form without the field (a script's) leaves the domains as they are; an emptied field allows none.
            Input.SenderDomains is null ? null : [Input.SenderDomains]), cancellationToken);
        Input.Password = null;
        if (!outcome.Succeeded)
        {
            ModelState.AddViolations(outcome.Violations, text, nameof(Input));
            return Page();
        }

        Saved = true;
        return RedirectToPage();
    }

    public sealed class ServerInput
    {
        public string? Host { get; set; }

        public int? Port { get; set; }

        public TransportSecurity Security { get; set; } = TransportSecurity.StartTls;

        public bool UseAuthentication { get; set; } = true;

        public string? Login { get; set; }

        public string? Password { get; set; }

        /// <summary>The domains the server may send from, one a line (commas and spaces also separate them).</summary>
        [System.ComponentModel.DataAnnotations.DisplayFormat(ConvertEmptyStringToNull = false)]
        public string? SenderDomains { get; set; }
    }
}
