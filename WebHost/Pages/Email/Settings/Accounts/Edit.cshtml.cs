using System.Globalization;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Outgoing;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.Domain.Settings;
using MimeKit.Text;
using MailAccounts.Infrastructure.Outgoing;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.Infrastructure.Secrets;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using MimeKit;

namespace MailAccounts.WebHost.Pages.Email.Settings.Accounts;

/// <summary>
/// Settings » Accounts » Add, and Edit: the whole account form, with Test settings, Choose (folders), Send test
/// email and Done. The tests run with the values in the form, so a user can try before saving; with script on,
/// they answer with a fragment and the form stays as typed.
/// </summary>
public sealed class EditModel(
    IQuerySession session,
    Commands commands,
    SecretVault vault,
    IncomingTester incomingTester,
    SmtpSender smtpSender,
    MailTestLimiter limiter,
    TemplateRenderer templates,
    TestEvidence evidence,
    SenderDomainPolicy senders,
    IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty]
    public AccountInput Input { get; set; } = new();

    public Guid? Id { get; private set; }

    public IReadOnlyList<OutgoingServer> Servers { get; private set; } = [];

    public IReadOnlyList<MailAccounts.Domain.Settings.Signature> Signatures { get; private set; } = [];

    public bool HasSystemServer => Servers.Any(s => s.IsSystemDefault);

    public IHtmlContent? IncomingReport { get; private set; }

    public IHtmlContent? OutgoingReport { get; private set; }

    public IHtmlContent? FolderChoice { get; private set; }

    /// <summary>The presets by domain, for the script that suggests them while the address is typed.</summary>
    public string PresetsJson => System.Text.Json.JsonSerializer.Serialize(ProviderPresets.All.Select(p => new
    {
        p.Id,
        p.Name,
        p.Domains,
        Note = p.Note(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName) ?? "",
    }));

    private bool FromScript => Request.Headers["X-Requested-With"] == "fetch";

    /// <summary>
    /// Every handler of the form (Done, Test, Choose, Send test email, presets) answers 404 for an account the user
    /// may not configure, before it redisplays anything of it. The id is the one the handler was given, from the
    /// route, the query or the form alike.
    /// </summary>
    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (context.HandlerArguments.TryGetValue("id", out var value) && value is Guid id
            && await AccountQueries.FindAsync(session, id, User.Actor(), AccountUse.Configure, HttpContext.RequestAborted) is null)
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

        Input.Group = group;
        if (id is { } accountId)
        {
            var account = await AccountQueries.FindAsync(session, accountId, User.Actor(), AccountUse.Configure, cancellationToken);
            if (account is null)
            {
                return NotFound();
            }

            var state = await session.Events.FetchStreamStateAsync(accountId, cancellationToken);
            Input = AccountInput.From(account, state?.Version ?? 0);
            Id = accountId;
        }

        await LoadServersAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            // A value that does not even bind (a port of "abc") is shown as refused, never saved as a default.
            return await RedisplayAsync(id, cancellationToken);
        }

        // The sealed tests are compared with the servers as they are now.
        await LoadServersAsync(cancellationToken);
        var outcome = await commands.InvokeAsync(new SaveAccount(
            User.Actor(), id, id is null ? null : Input.Version, Input.ToFields(),
            Input.Password is { Length: > 0 } password ? new Secret(password) : null,
            Input.NewServerFields(), Input.PendingTrust,
            Input.TestEvidence.Distinct().Select(token => evidence.Open(token, User.Id(), test => Tested(incoming: test.TestEmailTo is null)))
                .OfType<RecordedTest>().ToArray()), cancellationToken);
        if (outcome.Violations.Any(v => v.Code == AccountViolations.Unknown))
        {
            return NotFound();
        }

        if (!outcome.Succeeded)
        {
            ModelState.AddViolations(outcome.Violations.Select(v => v with { Field = FormField(v.Field) }), text, nameof(Input));
            return await RedisplayAsync(id, cancellationToken);
        }

        return RedirectToPage("Index");
    }

    /// <summary>"Set Gmail parameters", or the settings the address's provider suggests: fills the servers in.</summary>
    public async Task<IActionResult> OnPostPresetAsync(Guid? id, string? preset, CancellationToken cancellationToken)
    {
        if (ProviderPresets.ById(preset ?? "") is { } chosen)
        {
            var incoming = Input.Protocol == IncomingProtocol.Pop3 && chosen.Pop3 is { } pop3 ? pop3 : chosen.Imap;
            Input.Protocol = incoming == chosen.Imap ? IncomingProtocol.Imap : IncomingProtocol.Pop3;
            Input.Host = incoming.Host;
            Input.Port = incoming.Port;
            Input.UseSsl = incoming.Security == TransportSecurity.SslOnConnect;
            Input.Login = string.IsNullOrWhiteSpace(Input.Login) ? Input.Address : Input.Login;
            Input.OutgoingServer = AccountInput.NewServer;
            Input.NewServerKind = chosen.Id switch { "gmail" => OutgoingServerKind.Gmail, "yahoo" => OutgoingServerKind.Yahoo, _ => OutgoingServerKind.Other };
            Input.NewServerHost = chosen.Smtp.Host;
            Input.NewServerPort = chosen.Smtp.Port;
            Input.NewServerSecurity = chosen.Smtp.Security;
            Input.NewServerUseAuthentication = true;
            Input.NewServerLogin = string.IsNullOrWhiteSpace(Input.NewServerLogin) ? Input.Address : Input.NewServerLogin;
            ModelState.Clear();
        }

        return await RedisplayAsync(id, cancellationToken);
    }

    /// <summary>The provider the typed address belongs to, when its settings are known.</summary>
    public ProviderPreset? SuggestedPreset => ProviderPresets.ForAddress(Input.Address);

    public async Task<IActionResult> OnPostTestAsync(Guid? id, CancellationToken cancellationToken)
    {
        var (report, refusal) = await TestIncomingAsync(id, cancellationToken);
        if (report is null && refusal is null)
        {
            return NotFound();
        }

        if (refusal is not null)
        {
            return await AnswerAsync(id, refusal, incoming: true, cancellationToken);
        }

        var sealedTest = await RecordAsync(id, report!, null, cancellationToken);
        return await AnswerAsync(id, RenderReport(report!, text["Test.Success"], sealedTest), incoming: true, cancellationToken);
    }

    public async Task<IActionResult> OnPostFoldersAsync(Guid? id, CancellationToken cancellationToken)
    {
        var (report, refusal) = await TestIncomingAsync(id, cancellationToken);
        if (report is null && refusal is null)
        {
            return NotFound();
        }

        var html = refusal ?? (report!.Succeeded ? RenderFolderChoice(report.Folders) : RenderReport(report, ""));
        if (FromScript)
        {
            return Content(html.ToString()!, "text/html; charset=utf-8");
        }

        FolderChoice = html;
        return await RedisplayAsync(id, cancellationToken);
    }

    public async Task<IActionResult> OnPostSendTestAsync(Guid? id, CancellationToken cancellationToken)
    {
        var recipient = (Input.TestRecipient ?? "").Trim();
        if (!EmailAddress.IsValid(recipient))
        {
            return await AnswerAsync(id, Notice(text["Test.RecipientInvalid"]), incoming: false, cancellationToken);
        }

        if (!limiter.TryAcquire(User.Id()))
        {
            return await AnswerAsync(id, Notice(text["Test.TooMany"]), incoming: false, cancellationToken);
        }

        var account = id is { } accountId ? await AccountQueries.FindAsync(session, accountId, User.Actor(), AccountUse.Configure, cancellationToken) : null;
        if (id is not null && account is null)
        {
            return NotFound();
        }

        var request = await SmtpRequestAsync(account, cancellationToken);
        if (request is null)
        {
            return await AnswerAsync(id, Notice(text["Test.NoOutgoingServer"]), incoming: false, cancellationToken);
        }

        var settings = await MailSettingsQueries.ForUserAsync(session, User.Id(), cancellationToken);
        var message = TestMessage(recipient, settings, out var fellBack);
        if (message is null)
        {
            return await AnswerAsync(id, Notice(text["Account.AddressInvalid"]), incoming: false, cancellationToken);
        }

        // The system's default server sends the test only from an allowed domain, as it does the account's mail.
        if (!Input.AddsServer && Input.ChosenServerId is null
            && await senders.AllowedAsync(session, cancellationToken) is var allowed
            && !SenderDomains.Allows(allowed, message.From.Mailboxes.Single().Address))
        {
            return await AnswerAsync(id, Notice($"{text[OutgoingViolations.SenderDomainNotAllowed]} {SenderDomains.Describe(allowed)}"), incoming: false,
                cancellationToken);
        }

        var report = await smtpSender.SendAsync(request, message, cancellationToken);
        if (report.Succeeded && fellBack)
        {
            report.Pass(TestStage.Sending, string.Format(text["Test.SentInUtf8"].Value, settings.Charset.ToUpperInvariant()));
        }

        var sealedTest = await RecordAsync(id, report, recipient, cancellationToken);
        return await AnswerAsync(id, RenderReport(report, text["Test.EmailSent"], sealedTest), incoming: false, cancellationToken);
    }

    /// <summary>
    /// A saved account gets the test in its history now; a new one gets a sealed record to carry until Done.
    /// </summary>
    private async Task<string?> RecordAsync(Guid? id, TestReport report, string? testEmailTo, CancellationToken cancellationToken)
    {
        var failedStage = report.Failure?.Stage.ToString();
        if (id is { } accountId)
        {
            await commands.InvokeAsync(new RecordAccountTest(User.Actor(), accountId, report.Succeeded, failedStage, report.Summary, testEmailTo), cancellationToken);

            // The test is in the account's stream now; the form moves to that version so that Done still saves.
            var state = await session.Events.FetchStreamStateAsync(accountId, cancellationToken);
            Input.Version = state?.Version;
            ModelState.Remove("Input.Version");
            return null;
        }

        return evidence.Seal(new RecordedTest(
            User.Id(), report.Succeeded, failedStage, report.Summary, testEmailTo, DateTimeOffset.UtcNow, Tested(incoming: testEmailTo is null)));
    }

    /// <summary>
    /// The settings a test on this form runs on, as the form holds them: the incoming server, port, security and login,
    /// or the outgoing server chosen (with the new server's settings when that is the choice) and the sender.
    /// </summary>
    private string Tested(bool incoming) => incoming
        ? $"incoming {Input.Protocol} {Input.IncomingEndpoint.Host.ToLowerInvariant()}:{Input.EffectivePort} {Input.Security} {(Input.Login ?? "").Trim()}"
        : $"outgoing {Input.OutgoingServer} {Input.NewServerKind} {(Input.NewServerHost ?? "").Trim().ToLowerInvariant()}:{Input.NewServerPort} {Input.NewServerSecurity} "
            + $"{Input.NewServerUseAuthentication} {(Input.NewServerLogin ?? "").Trim()} {(Input.OutgoingAddress ?? "").Trim()} {ChosenServerEndpoint()}";

    /// <summary>
    /// Where a server chosen from the list (the system default included) listens now: an administrator may move the
    /// system default between the test and Done, and a test of the old endpoint says nothing of the new one.
    /// </summary>
    private string ChosenServerEndpoint()
    {
        if (Input.AddsServer)
        {
            return "";
        }

        var server = Input.ChosenServerId is { } id
            ? Servers.FirstOrDefault(s => s.Id == id && !s.IsSystemDefault)
            : Servers.FirstOrDefault(s => s.IsSystemDefault);
        return server is null ? "none" : $"{server.Host}:{server.Port} {server.Security} {server.UseAuthentication} {server.Login}";
    }

    private async Task<(TestReport? Report, IHtmlContent? Refusal)> TestIncomingAsync(Guid? id, CancellationToken cancellationToken)
    {
        if (!HostName.IsValid((Input.Host ?? "").Trim()) || string.IsNullOrWhiteSpace(Input.Login))
        {
            return (null, Notice(text["Test.Incomplete"]));
        }

        if (!limiter.TryAcquire(User.Id()))
        {
            return (null, Notice(text["Test.TooMany"]));
        }

        var account = id is { } accountId ? await AccountQueries.FindAsync(session, accountId, User.Actor(), AccountUse.Configure, cancellationToken) : null;
        if (id is not null && account is null)
        {
            return (null, null);
        }

        // The saved password goes only to the saved server: a form that names another server must type it again.
        var password = Input.Password is { Length: > 0 } typed
            ? typed
            : account?.Incoming is { } saved && saved.Protocol == Input.Protocol && saved.Host == Input.IncomingEndpoint.Host.ToLowerInvariant()
                && saved.Port == Input.EffectivePort && saved.Security == Input.Security && saved.Login == (Input.Login ?? "").Trim()
                ? await vault.RevealAsync(session, saved.PasswordSecretId, cancellationToken)
                : null;
        if (password is null)
        {
            return (null, Notice(text["Account.PasswordRequired"]));
        }

        var report = await incomingTester.TestAsync(
            new IncomingRequest(Input.Protocol, Input.IncomingEndpoint, (Input.Login ?? "").Trim(), password, TrustedCertificates(account)),
            cancellationToken);
        return (report, null);
    }

    private async Task<SmtpRequest?> SmtpRequestAsync(Account? account, CancellationToken cancellationToken)
    {
        await LoadServersAsync(cancellationToken);
        var trusted = TrustedCertificates(account);
        if (Input.AddsServer)
        {
            var preset = OutgoingServerDecisions.Preset(Input.NewServerKind);
            var security = preset?.Security ?? Input.NewServerSecurity;
            var endpoint = preset ?? new ServerEndpoint(
                (Input.NewServerHost ?? "").Trim(), Input.NewServerPort ?? OutgoingServerDecisions.DefaultPort(security), security);
            var useAuthentication = preset is not null || Input.NewServerUseAuthentication;
            return HostName.IsValid(endpoint.Host)
                ? new SmtpRequest(endpoint, useAuthentication, (Input.NewServerLogin ?? "").Trim(), Input.NewServerPassword ?? "", trusted)
                : null;
        }

        var server = Input.ChosenServerId is { } serverId
            ? Servers.FirstOrDefault(s => s.Id == serverId && !s.IsSystemDefault)
            : await OutgoingServerQueries.SystemDefaultAsync(session, cancellationToken);
        if (server is null)
        {
            return null;
        }

        var password = server.PasswordSecretId is { } secret ? await vault.RevealAsync(session, secret, cancellationToken) ?? "" : "";
        return new SmtpRequest(new ServerEndpoint(server.Host, server.Port, server.Security), server.UseAuthentication, server.Login, password, trusted);
    }

    /// <summary>
    /// The test e-mail is written as the user's mail will be: plain text or HTML, in the chosen charset (UTF-8
    /// when that cannot carry the text), with the account's signature or the user's default.
    /// </summary>
    private MimeMessage? TestMessage(string recipient, MailSettings settings, out bool fellBack)
    {
        fellBack = false;
        var address = (Input.OutgoingAddress is { Length: > 0 } outgoing ? outgoing : Input.Address ?? "").Trim();
        var name = (Input.OutgoingName is { Length: > 0 } outgoingName ? outgoingName : Input.Name ?? "").Trim();
        if (!EmailAddress.IsValid(address))
        {
            return null;
        }

        var signature = settings.FindSignature(Input.SignatureId ?? settings.DefaultSignatureId) is { } chosen
            ? SignatureTemplates.Render(chosen.Html, new SignatureValues(
                User.Identity?.Name ?? "", User.Login(), Input.Title ?? "", name, address, DateTimeOffset.UtcNow))
            : null;
        var body = settings.PlainText
            ? OutgoingText.Create(TextFormat.Plain, text["TestEmail.Body"] + (signature is null ? "" : "\n\n-- \n" + signature.Text), settings.Charset)
            : OutgoingText.Create(TextFormat.Html,
                $"<p>{System.Net.WebUtility.HtmlEncode(text["TestEmail.Body"])}</p>" + (signature is null ? "" : $"<div class=\"signature\">{signature.Html}</div>"),
                settings.Charset);
        fellBack = body.FellBackToUtf8;
        var message = new MimeMessage { Subject = text["TestEmail.Subject"], Body = body.Part };
        message.From.Add(new MailboxAddress(name, address));
        message.To.Add(MailboxAddress.Parse(recipient));
        if (EmailAddress.IsValid((Input.ForwardTo ?? "").Trim()))
        {
            message.Bcc.Add(MailboxAddress.Parse(Input.ForwardTo!.Trim()));
        }

        return message;
    }

    private TrustedCertificate[] TrustedCertificates(Account? account) => [.. account?.TrustedCertificates ?? [], .. Input.PendingTrust];

    private async Task<IActionResult> AnswerAsync(Guid? id, IHtmlContent html, bool incoming, CancellationToken cancellationToken)
    {
        if (FromScript)
        {
            return Content(html.ToString()!, "text/html; charset=utf-8");
        }

        if (incoming)
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
        await LoadServersAsync(cancellationToken);
        return Page();
    }

    private async Task LoadServersAsync(CancellationToken cancellationToken)
    {
        Servers = await OutgoingServerQueries.VisibleToAsync(session, User.Id(), cancellationToken);
        Signatures = (await MailAccounts.Infrastructure.Settings.MailSettingsQueries.ForUserAsync(session, User.Id(), cancellationToken)).Signatures;
    }

    private IHtmlContent RenderReport(TestReport report, string success, string? sealedTest = null) => templates.View("ConnectionReport", text, new
    {
        Evidence = sealedTest ?? "",
        Version = Input.Version?.ToString(CultureInfo.InvariantCulture) ?? "",
        report.Succeeded,
        Success = success,
        Stages = report.Stages.Select(s => new { Stage = text["Stage." + s.Stage].Value, s.Succeeded, Detail = s.DetailIn(CultureInfo.CurrentUICulture) }).ToArray(),
        Certificate = report.Certificate is { } c
            ? new { c.Host, c.Subject, c.Issuer, NotAfter = c.NotAfter.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), c.Fingerprint, c.Valid, c.Pinned, Trust = $"{c.Host} {c.Fingerprint}" }
            : null,
        Trusted = Input.TrustedCertificates.ToArray(),
    },
        "Test.Failed", "Test.Certificate", "Test.Fingerprint", "Test.Expires", "Test.Issuer", "Test.Trust", "Test.TrustHint");

    private IHtmlContent RenderFolderChoice(IReadOnlyList<ServerFolder> folders)
    {
        var chosen = Input.MonitoredFolders.ToHashSet(StringComparer.Ordinal);
        var trash = Input.TrashFolder ?? folders.FirstOrDefault(f => f.SpecialUse == "Trash")?.FullName;
        var sent = Input.SentFolder ?? folders.FirstOrDefault(f => f.SpecialUse == "Sent")?.FullName;
        return templates.View("FolderChoice", text, new
        {
            Folders = folders.Select(f => new
            {
                f.FullName,
                f.Name,
                f.Depth,
                f.Selectable,
                SpecialUse = f.SpecialUse is null ? "" : text["SpecialUse." + f.SpecialUse].Value,
                Checked = chosen.Contains(f.FullName),
                IsTrash = f.FullName == trash,
                IsSent = f.FullName == sent,
            }).ToArray(),
        },
            "Account.MonitoredFolders", "Account.TrashFolder", "Account.SentFolder", "Folders.None", "Folders.Suggested");
    }

    private static IHtmlContent Notice(string message) =>
        new HtmlString($"<p class=\"notice error\" role=\"alert\">{System.Net.WebUtility.HtmlEncode(message)}</p>");

    /// <summary>Refusals about the server added on the form name the form's own fields.</summary>
    private static string FormField(string field) => field.StartsWith(SaveAccountHandler.NewServerPrefix, StringComparison.Ordinal)
        ? "NewServer" + field[SaveAccountHandler.NewServerPrefix.Length..]
        : field switch
        {
            "OutgoingServerId" => nameof(AccountInput.OutgoingServer),
            _ => field,
        };
}
