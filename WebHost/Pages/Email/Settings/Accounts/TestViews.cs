using System.Globalization;
using MailAccounts.Domain.Common;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.WebHost.Rendering;
using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Email.Settings.Accounts;

/// <summary>How the account form shows a test's answer: the report with its hooks, the folders to choose, or why the test did not run.</summary>
public static class TestViews
{
    public static IHtmlContent Report(TemplateRenderer templates, IStringLocalizer text, AccountTestOutcome outcome, AccountInput input, string success) => templates.View("ConnectionReport", text, new
    {
        Evidence = outcome.Evidence ?? "",
        Version = input.Version?.ToString(CultureInfo.InvariantCulture) ?? "",
        outcome.Report!.Succeeded,
        Success = success,
        Stages = outcome.Report.Stages.Select(s => new
        {
            Key = s.Stage.ToString(),
            Stage = text["Stage." + s.Stage].Value,
            s.Succeeded,
            Detail = s.DetailIn(CultureInfo.CurrentUICulture),
            AdviceKey = text.Advice(s.Facts)?.Key ?? "",
            Advice = text.Advice(s.Facts)?.Text ?? "",
        }).ToArray(),
        Certificate = outcome.Report.Certificate is { } c
            ? new { c.Host, c.Subject, c.Issuer, NotAfter = c.NotAfter.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), c.Fingerprint, c.Valid, c.Pinned, Trust = $"{c.Host} {c.Fingerprint}" }
            : null,
        Trusted = input.TrustedCertificates.ToArray(),
    },
        "Test.Failed", "Advice.ServerSaid", "Test.Certificate", "Test.Fingerprint", "Test.Expires", "Test.Issuer", "Test.Trust", "Test.TrustHint");

    public static IHtmlContent FolderChoice(TemplateRenderer templates, IStringLocalizer text, IReadOnlyList<ServerFolder> folders, AccountInput input)
    {
        var trash = input.TrashFolder ?? folders.FirstOrDefault(f => f.SpecialUse == "Trash")?.FullName;
        var sent = input.SentFolder ?? folders.FirstOrDefault(f => f.SpecialUse == "Sent")?.FullName;
        return templates.View("FolderChoice", text, new
        {
            Folders = Rows(text, folders, input.MonitoredFolders).Select(row => new
            {
                row.FullName, row.Name, row.Depth, row.Selectable, row.Role, row.SpecialUse, row.Shown, row.Checked,
                IsTrash = row.FullName == trash,
                IsSent = row.FullName == sent,
            }).ToArray(),
        },
            "Account.MonitoredFolders", "Account.TrashFolder", "Account.SentFolder", "Folders.None", "Folders.Suggested");
    }

    /// <summary>The server's folders with a box each for import; none ticked imports the monitored folders.</summary>
    public static IHtmlContent ImportFolderChoice(TemplateRenderer templates, IStringLocalizer text, IReadOnlyList<ServerFolder> folders, AccountInput input) =>
        templates.View("ImportFolderChoice", text, new { Folders = Rows(text, folders, input.ImportFolders) }, "Import.Folders", "Import.FoldersHint", "Folders.None");

    private sealed record FolderRow(string FullName, string Name, int Depth, bool Selectable, string Role, string SpecialUse, string Shown, bool Checked);

    /// <summary>Special folders first and by what they are for, in the page's language; the server's name beside where it differs.</summary>
    private static FolderRow[] Rows(IStringLocalizer text, IReadOnlyList<ServerFolder> folders, IEnumerable<string> ticked)
    {
        var chosen = ticked.ToHashSet(StringComparer.Ordinal);
        return FolderNames.InUsualOrder(folders)
            .Select(p => (p.Folder, p.Role, p.Depth, Shown: FolderNames.Display(p.Role, p.Folder.Name, text)))
            .Select(p => new FolderRow(
                p.Folder.FullName, p.Shown, p.Depth, p.Folder.Selectable, p.Role?.ToLowerInvariant() ?? "",
                p.Role is null ? "" : p.Folder.FullName == p.Shown ? "" : p.Folder.FullName,
                p.Role is null ? p.Folder.FullName : p.Shown,
                chosen.Contains(p.Folder.FullName)))
            .ToArray();
    }

    /// <summary>Why the test did not run, marked with the refusal's code.</summary>
    public static IHtmlContent Refusal(IStringLocalizer text, Violation violation) => violation is { Code: AccountTestRefusals.TooMany, Detail: { } seconds }
        // The limit says when the next try is allowed; the script counts the seconds down.
        ? new HtmlString($"<p class=\"notice error\" role=\"alert\" data-refusal=\"{violation.Code}\" data-retry-after=\"{System.Net.WebUtility.HtmlEncode(seconds)}\""
            + $" data-retry-text=\"{System.Net.WebUtility.HtmlEncode(text["Test.TryAgainIn"].Value)}\">"
            + System.Net.WebUtility.HtmlEncode(string.Format(CultureInfo.CurrentCulture, text["Test.TryAgainIn"].Value, seconds)) + "</p>")
        : new HtmlString(
        $"<p class=\"notice error\" role=\"alert\" data-refusal=\"{System.Net.WebUtility.HtmlEncode(violation.Code)}\">"
        + System.Net.WebUtility.HtmlEncode(violation.Detail is null ? text[violation.Code].Value : $"{text[violation.Code]} {violation.Detail}") + "</p>");
}
