using System.Globalization;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Outgoing;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Discovery;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Outgoing;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.Infrastructure.SignInProviders;
using MailAccounts.Domain.SignInProviders;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Email.Settings.Accounts;

/// <summary>
/// Settings » Accounts » Add, and Edit: the whole account form, with Test settings, Choose (folders), Send test
/// email and Done. The tests run with the values in the form, so a user can try before saving; with script on,
/// they answer with a fragment and the form stays as typed.
/// </summary>
public sealed class EditModel(
    IQuerySession session, Commands commands, TemplateRenderer templates, IStringLocalizer<SharedResource> text, FormSeal seals, TimeProvider clock,
    MailDiscovery discovery, MailTestLimiter limiter, SignIns signIns) : PageModel
{
    private AccountForForm? _saved;

    /// <summary>A report as the form showed it, sealed: the page renders it again as it is, so the browser must not be able to forge it.</summary>
    public sealed record KeptReport(string Html);

    private FormSeal.Sealed<KeptReport> Kept => seals.For<KeptReport>("MailAccounts.Accounts.KeptReport.v1", TimeSpan.FromDays(1));

    /// <summary>
    /// The form's sign-in with a provider, sealed, for the user it came back to: the page shows "Signed in as …" and
    /// Done saves its grant, which the browser must not be able to forge or borrow.
    /// </summary>
    public sealed record SealedSignIn(Guid UserId, OAuthGrant Grant, string ProviderName);

    private FormSeal.Sealed<SealedSignIn> SignInSeal => seals.For<SealedSignIn>("MailAccounts.Accounts.SignIn.v1", SignIns.FormLifetime);

    /// <summary>The sign-in this form came back with, when it is genuine and this user's.</summary>
    public SealedSignIn? SignedIn => SignInSeal.Open(Input.SignIn) is { } signed && signed.UserId == User.Id() ? signed : null;

    /// <summary>The providers the organisation registered, offered as "Sign in with …".</summary>
    public IReadOnlyList<SignInProvider> Providers { get; private set; } = [];

    /// <summary>The saved account's sign-in with a provider, when it has one.</summary>
    public Authorisation? SavedAuthorisation => _saved?.Account.Authorisation;

    public string SavedProviderName => Providers.FirstOrDefault(p => p.Id == SavedAuthorisation?.ProviderId)?.Name ?? "";

    /// <summary>
    /// The grant the form signs in with instead of a password: the one it came back with, else the saved account's own;
    /// none once a password is typed, which the account then signs in with.
    /// </summary>
    private OAuthGrant? Grant => Input.Password is { Length: > 0 } ? null
        : SignedIn?.Grant ?? (SavedAuthorisation is { } saved ? new OAuthGrant(saved.ProviderId, saved.Mailbox, saved.Scopes, saved.TokenSecretId) : null);

    /// <summary>Why the sign-in that came back gave no grant, in the user's words, with the provider's own below.</summary>
    public string? SignInProblem { get; private set; }

    public string? SignInProviderWords { get; private set; }

    /// <summary>A save was refused after a password had been typed: the password is not sent back, and the form says so.</summary>
    public bool PasswordNotKept { get; private set; }

    [BindProperty]
    public AccountInput Input { get; set; } = new();

    public Guid? Id { get; private set; }

    public IReadOnlyList<OutgoingServer> Servers { get; private set; } = [];

    public IReadOnlyList<MailAccounts.Domain.Settings.Signature> Signatures { get; private set; } = [];

    public bool HasSystemServer => Servers.Any(s => s.IsSystemDefault);

    public IHtmlContent? IncomingReport { get; private set; }

    public IHtmlContent? OutgoingReport { get; private set; }

    public IHtmlContent? FolderChoice { get; private set; }

    /// <summary>What Find settings found and how, once it was pressed.</summary>
    public IHtmlContent? Discovered { get; private set; }

    /// <summary>The server's folders to choose the imported ones from, once Choose was pressed in the import part.</summary>
    public IHtmlContent? ImportFolderChoice { get; private set; }

    /// <summary>The presets by domain, for the script that suggests them while the address is typed.</summary>
    public string PresetsJson => System.Text.Json.JsonSerializer.Serialize(ProviderPresets.All.Select(p => new
    {
        p.Id,
        p.Name,
        p.Domains,
        Note = p.Note(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName) ?? "",
    }));

    /// <summary>The provider the typed address belongs to, when its settings are known.</summary>
    public ProviderPreset? SuggestedPreset => ProviderPresets.ForAddress(Input.Address);

    private bool FromScript => Request.Headers["X-Requested-With"] == "fetch";

    /// <summary>
    /// Every handler of the form answers 404 for an account the user may not configure, before it redisplays anything
    /// of it. The id is the one the handler was given, from the route, the query or the form alike.
    /// </summary>
    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (context.HandlerArguments.TryGetValue("id", out var value) && value is Guid id
            && (_saved = await AccountFormQuery.LoadAsync(session, id, User.Actor(), HttpContext.RequestAborted)) is null)
        {
            context.Result = NotFound();
            return;
        }

        await next();
    }

    public async Task<IActionResult> OnGetAsync(Guid? id, bool group = false, CancellationToken cancellationToken = default)
    {
        if (group && !User.IsAdministrator())
        {
            return NotFound();
        }

        Input = _saved is { } saved ? AccountInput.From(saved) : new AccountInput { Group = group };
        return await RedisplayAsync(id, cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(Guid? id, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            // A value that does not even bind (a port of "abc") is shown as refused, never saved as a default.
            return await RedisplayAsync(id, cancellationToken);
        }

        var outcome = await commands.InvokeAsync(new SaveAccount(
            User.Actor(), id, id is null ? null : Input.Version, Input.ToForm(Grant), Input.PasswordSecret, Input.NewServerFields(Grant), Input.PendingTrust,
            Input.TestEvidence), cancellationToken);
        if (outcome.Violations.Any(v => v.Code == AccountViolations.Unknown))
        {
            return NotFound();
        }

        if (!outcome.Succeeded)
        {
            ModelState.AddViolations(outcome.Violations.Select(v => v with { Field = FormField(v.Field) }), text, nameof(Input));
            // What the tests said stays on the page; the password typed does not come back, and the form says so.
            IncomingReport = KeptAgain(Input.IncomingReportKept, nameof(AccountInput.IncomingReportKept));
            OutgoingReport = KeptAgain(Input.OutgoingReportKept, nameof(AccountInput.OutgoingReportKept));
            PasswordNotKept = Input.Password is { Length: > 0 } || Input.NewServerPassword is { Length: > 0 };
            return await RedisplayAsync(id, cancellationToken);
        }

        // An administrator's group account belongs to the organisation: it is looked after on Admin » Accounts.
        if (id is null && Input.Group)
        {
            TempData["Notice"] = text["AdminAccounts.Created"].Value;
            return RedirectToPage("/Admin/Accounts/Index");
        }

        TempData["Notice"] = text[id is null ? "Accounts.Added" : "Accounts.Saved"].Value;
        return RedirectToPage("Index");
    }

    /// <summary>"Set Gmail parameters", or the settings the address's provider suggests: fills the servers in.</summary>
    public async Task<IActionResult> OnPostPresetAsync(Guid? id, string? preset, CancellationToken cancellationToken)
    {
        if (ProviderPresets.ById(preset ?? "") is { } chosen)
        {
            Input.Apply(chosen.SettingsFor(Input.Protocol));
            ModelState.Clear();
        }

        return await RedisplayAsync(id, cancellationToken);
    }

    /// <summary>
    /// Find settings: looks the address's servers up and fills the form in with what it found, saying where it came from
    /// and every step it took. Without script the form comes back filled in (the password must be typed again, as after
    /// any post); with it, the script fills the fields from the answer and keeps what was typed.
    /// </summary>
    public async Task<IActionResult> OnPostDiscoverAsync(Guid? id, CancellationToken cancellationToken)
    {
        var typedPassword = Input.Password is { Length: > 0 };
        // With script the answer is a stream of JSON lines: one per step as it is taken, then the report and the fields.
        Func<DiscoveryStep, CancellationToken, Task>? progress = null;
        if (FromScript)
        {
            Response.ContentType = "application/x-ndjson; charset=utf-8";
            progress = (step, token) => WriteLineAsync(new { Step = DiscoveryViews.StepLine(text, step), Kind = step.Kind.ToString(), Outcome = step.Outcome.ToString() }, token);
        }

        DiscoveryResult? found = null;
        if (MailAccounts.Domain.Discovery.MailAddressParts.Of(Input.Address) is null)
        {
            Discovered = DiscoveryViews.Problem(text, "Discovery.NeedsAddress", "no-address");
        }
        else if (!limiter.TryAcquire(User.Id(), out var retryAfter))
        {
            Discovered = TestViews.Refusal(text, new Violation("", AccountTestRefusals.TooMany, AccountTestRefusals.Seconds(retryAfter)));
        }
        else
        {
            found = await discovery.FindAsync(Input.Address!, Input.Protocol, cancellationToken, progress);
            if (found.Found)
            {
                Input.Apply(found);
                ModelState.Clear();
            }

            Discovered = DiscoveryViews.Report(templates, text, found, Input.Address!.Trim(), discovery.Limit);
        }

        if (FromScript)
        {
            await WriteLineAsync(new { Html = Discovered.ToString(), Fields = found is { Found: true } ? DiscoveryViews.Fields(found, Input) : null }, cancellationToken);
            return new EmptyResult();
        }

        PasswordNotKept = typedPassword;
        return await RedisplayAsync(id, cancellationToken);
    }

    private async Task WriteLineAsync(object line, CancellationToken cancellationToken)
    {
        await Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(line, System.Text.Json.JsonSerializerOptions.Web) + "\n", cancellationToken);
        await Response.Body.FlushAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostTestAsync(Guid? id, CancellationToken cancellationToken) => await AnswerAsync(id,
        await commands.InvokeAsync(new TestIncomingSettings(User.Actor(), id, Input.ToForm(Grant), Input.PasswordSecret, Input.PendingTrust), cancellationToken),
        report => TestViews.Report(templates, text, report, Input, text["Test.Success"]), incoming: true, cancellationToken);

    public async Task<IActionResult> OnPostFoldersAsync(Guid? id, CancellationToken cancellationToken) => await AnswerAsync(id,
        await commands.InvokeAsync(new ListServerFolders(User.Actor(), id, Input.ToForm(Grant), Input.PasswordSecret, Input.PendingTrust), cancellationToken),
        report => report.Report!.Succeeded ? TestViews.FolderChoice(templates, text, report.Report.Folders, Input) : TestViews.Report(templates, text, report, Input, ""), incoming: null, cancellationToken);

    /// <summary>Choose in the import part: the server's folders, to tick those imported.</summary>
    public async Task<IActionResult> OnPostImportFoldersAsync(Guid? id, CancellationToken cancellationToken) => await AnswerAsync(id,
        await commands.InvokeAsync(new ListServerFolders(User.Actor(), id, Input.ToForm(Grant), Input.PasswordSecret, Input.PendingTrust), cancellationToken),
        report => report.Report!.Succeeded ? TestViews.ImportFolderChoice(templates, text, report.Report.Folders, Input) : TestViews.Report(templates, text, report, Input, ""), incoming: null, cancellationToken,
        import: true);

    public async Task<IActionResult> OnPostSendTestAsync(Guid? id, CancellationToken cancellationToken) => await AnswerAsync(id,
        await commands.InvokeAsync(new SendTestEmail(
            User.Actor(), id, Input.ToForm(Grant), Input.NewServerFields(Grant), Input.PendingTrust, Input.TestRecipient ?? "",
            new TestEmailWording(text["TestEmail.Subject"], text["TestEmail.Body"], text["Test.SentInUtf8"])), cancellationToken),
        report => TestViews.Report(templates, text, report, Input, text["Test.EmailSent"]), incoming: false, cancellationToken);

    /// <summary>A test's answer: its report, or why it did not run; in the form's place for it, or alone for the script.</summary>
    private async Task<IActionResult> AnswerAsync(
        Guid? id, Outcome outcome, Func<AccountTestOutcome, IHtmlContent> render, bool? incoming, CancellationToken cancellationToken, bool import = false)
    {
        if (outcome.Violations.Any(v => v.Code == AccountViolations.Unknown))
        {
            return NotFound();
        }

        if (outcome is AccountTestOutcome { Version: { } version })
        {
            // The test is in the account's stream now; the form moves to that version so that Done still saves.
            Input.Version = version;
            ModelState.Remove("Input.Version");
        }

        var html = outcome is AccountTestOutcome { Report: not null } tested
            ? render(tested)
            : TestViews.Refusal(text, outcome.Violations[0]);
        if (incoming is { } which && outcome is AccountTestOutcome { Report: not null })
        {
            html = WithKept(html.ToString()!, which ? nameof(AccountInput.IncomingReportKept) : nameof(AccountInput.OutgoingReportKept), null);
        }
        if (FromScript)
        {
            return Content(html.ToString()!, "text/html; charset=utf-8");
        }

        if (incoming is null && import)
        {
            ImportFolderChoice = html;
        }
        else if (incoming is null)
        {
            FolderChoice = html;
        }
        else if (incoming.Value)
        {
            IncomingReport = html;
        }
        else
        {
            OutgoingReport = html;
        }

        return await RedisplayAsync(id, cancellationToken);
    }

    private async Task<IActionResult> RedisplayAsync(Guid? id, CancellationToken cancellationToken)
    {
        Id = id;
        Input.Password = null;
        Input.NewServerPassword = null;
        // The day "mail from" starts on when none was chosen yet, shown so that the user sees what On means.
        Input.ImportSince ??= MailAccounts.Domain.Import.ImportRules.DefaultSince(clock.GetUtcNow());
        Servers = await OutgoingServerQueries.VisibleToAsync(session, User.Id(), cancellationToken);
        Providers = await SignInProviderQueries.AllAsync(session, cancellationToken);
        Signatures = (await MailSettingsQueries.ForUserAsync(session, User.Id(), cancellationToken)).Signatures;
        return Page();
    }

    /// <summary>
    /// "Sign in with …": the provider's page, with the form as typed (never its passwords) kept server-side to come
    /// back to. The address typed is the login hint.
    /// </summary>
    public async Task<IActionResult> OnPostSignInAsync(Guid? id, Guid signInWith, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<SignInProvider>(signInWith, cancellationToken) is not { } provider)
        {
            ModelState.AddModelError("", text["ProviderSignIn.UnknownProvider"].Value);
            return await RedisplayAsync(id, cancellationToken);
        }

        Input.Password = null;
        Input.NewServerPassword = null;
        Input.SignIn = null;
        var form = System.Text.Json.JsonSerializer.Serialize(Input);
        var url = await signIns.StartAsync(User.Id(), provider, id, reconnect: false, form, SignedInModel.CallbackUri(Request), Input.Address, cancellationToken);
        return Redirect(url.AbsoluteUri);
    }

    /// <summary>Reconnect: the same sign-in, as the account's own mailbox; the callback reconnects the account and goes back to the list.</summary>
    public async Task<IActionResult> OnPostReconnectAsync(Guid id, CancellationToken cancellationToken)
    {
        if (_saved?.Account.Authorisation is not { } authorisation)
        {
            TempData["Notice"] = text[AccountViolations.NotAuthorised].Value;
            return RedirectToPage(new { id });
        }

        if (await session.LoadAsync<SignInProvider>(authorisation.ProviderId, cancellationToken) is not { } provider)
        {
            TempData["Notice"] = text["ProviderSignIn.UnknownProvider"].Value;
            return RedirectToPage("Index");
        }

        var url = await signIns.StartAsync(User.Id(), provider, id, reconnect: true, "", SignedInModel.CallbackUri(Request), authorisation.Mailbox, cancellationToken);
        return Redirect(url.AbsoluteUri);
    }

    /// <summary>
    /// Back from the provider (through the callback page): the form as it was left, the address and login the mailbox
    /// the provider named, and "Signed in as …" with the grant sealed for Done; or why the sign-in did not succeed.
    /// </summary>
    public async Task<IActionResult> OnGetSignedInAsync(Guid? id, Guid signIn, CancellationToken cancellationToken)
    {
        var returned = await signIns.ReturnedAsync(User.Id(), signIn, cancellationToken);
        if (returned is null || returned.AccountId != id || returned.Reconnect)
        {
            Input = _saved is { } saved ? AccountInput.From(saved) : new AccountInput();
            SignInProblem = text["ProviderSignIn." + SignInRefusals.Unknown].Value;
            return await RedisplayAsync(id, cancellationToken);
        }

        Input = System.Text.Json.JsonSerializer.Deserialize<AccountInput>(returned.Form) ?? new AccountInput();
        if (returned.Grant is { } grant)
        {
            Input.SignedInAs(grant.Mailbox);
            Input.SignIn = SignInSeal.Seal(new SealedSignIn(User.Id(), grant, returned.ProviderName));
        }
        else
        {
            SignInProblem = text["ProviderSignIn." + returned.Refusal].Value;
            SignInProviderWords = returned.ProviderWords;
        }

        return await RedisplayAsync(id, cancellationToken);
    }

    /// <summary>A report followed by its sealed copy, which the next post brings back.</summary>
    private IHtmlContent WithKept(string html, string field, string? sealedAlready) => new HtmlString(html
        + $"<input type=\"hidden\" name=\"Input.{field}\" value=\"{System.Net.WebUtility.HtmlEncode(sealedAlready ?? Kept.Seal(new KeptReport(html)))}\">");

    /// <summary>The report a post brought back sealed, to show again; null when there is none or it is not genuine.</summary>
    private IHtmlContent? KeptAgain(string? token, string field) => Kept.Open(token) is { } kept ? WithKept(kept.Html, field, token) : null;

    /// <summary>Refusals about the server added on the form name the form's own fields.</summary>
    private static string FormField(string field) => field.StartsWith(SaveAccountHandler.NewServerPrefix, StringComparison.Ordinal)
        ? "NewServer" + field[SaveAccountHandler.NewServerPrefix.Length..]
        : field switch
        {
            "OutgoingServerId" => nameof(AccountInput.OutgoingServer),
            _ => field,
        };
}
