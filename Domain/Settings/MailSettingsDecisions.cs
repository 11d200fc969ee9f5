using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.Settings;

/// <summary>The General settings form.</summary>
public sealed record GeneralSettingsForm(
    int CheckIntervalMinutes,
    bool PlainText,
    string? Charset,
    Guid? DefaultSignatureId,
    bool SignatureBeforeQuote,
    int PageSize);

public static class MailSettingsDecisions
{
    public const int MaxSignatureLength = 10_000;
    public const int MaxSignatureNameLength = 100;

    /// <summary>One event per setting that changed; saving the unchanged form appends nothing.</summary>
    public static Decision SaveGeneralSettings(Guid userId, MailSettings? current, GeneralSettingsForm form, Guid by, DateTimeOffset at)
    {
        var settings = current ?? MailSettings.Defaults(userId);
        var charset = (form.Charset ?? "").Trim().ToLowerInvariant();
        var violations = new List<Violation>();
        if (!MailSettings.CheckIntervals.Contains(form.CheckIntervalMinutes))
        {
            violations.Add(new(nameof(form.CheckIntervalMinutes), SettingsViolations.IntervalInvalid));
        }

        if (!MailSettings.PageSizes.Contains(form.PageSize))
        {
            violations.Add(new(nameof(form.PageSize), SettingsViolations.PageSizeInvalid));
        }

        if (!MailSettings.Charsets.Contains(charset))
        {
            violations.Add(new(nameof(form.Charset), SettingsViolations.CharsetUnknown));
        }

        if (form.DefaultSignatureId is not null && settings.FindSignature(form.DefaultSignatureId) is null)
        {
            violations.Add(new(nameof(form.DefaultSignatureId), SettingsViolations.SignatureUnknown));
        }

        if (violations.Count > 0)
        {
            return Decision.Reject(violations);
        }

        var events = new List<object>();
        if (form.CheckIntervalMinutes != settings.CheckIntervalMinutes)
        {
            events.Add(new CheckIntervalChanged(userId, form.CheckIntervalMinutes, by, at));
        }

        if (form.PlainText != settings.PlainText)
        {
            events.Add(new PlainTextDefaultChanged(userId, form.PlainText, by, at));
        }

        if (charset != settings.Charset)
        {
            events.Add(new EncodingChanged(userId, charset, by, at));
        }

        if (form.DefaultSignatureId != settings.DefaultSignatureId)
        {
            events.Add(new DefaultSignatureChosen(userId, form.DefaultSignatureId, by, at));
        }

        if (form.SignatureBeforeQuote != settings.SignatureBeforeQuote)
        {
            events.Add(new SignaturePlacementChanged(userId, form.SignatureBeforeQuote, by, at));
        }

        if (form.PageSize != settings.PageSize)
        {
            events.Add(new PageSizeChanged(userId, form.PageSize, by, at));
        }

        return Decision.Accept([.. events]);
    }

    /// <summary>Creates a signature (no <paramref name="signatureId"/> in the settings yet) or edits it.</summary>
    /// <param name="templateError">What the template checker found wrong with the text, or null: checked before, outside the domain.</param>
    public static Decision SaveSignature(
        Guid userId, MailSettings? current, Guid signatureId, string? name, string? html, string? templateError, Guid by, DateTimeOffset at)
    {
        var settings = current ?? MailSettings.Defaults(userId);
        var cleanName = (name ?? "").Trim();
        var text = (html ?? "").Trim();
        var violations = new List<Violation>();
        if (cleanName.Length == 0)
        {
            violations.Add(new("Name", SettingsViolations.SignatureNameRequired));
        }
        else if (cleanName.Length > MaxSignatureNameLength)
        {
            violations.Add(new("Name", SettingsViolations.SignatureNameTooLong));
        }
        else if (settings.Signatures.Any(s => s.Id != signatureId && string.Equals(s.Name, cleanName, StringComparison.OrdinalIgnoreCase)))
        {
            violations.Add(new("Name", SettingsViolations.SignatureNameTaken));
        }

        if (text.Length > MaxSignatureLength)
        {
            violations.Add(new("Html", SettingsViolations.SignatureTooLong));
        }
        else if (templateError is not null)
        {
            violations.Add(new("Html", SettingsViolations.SignatureTemplateInvalid));
        }

        if (violations.Count > 0)
        {
            return Decision.Reject(violations);
        }

        var existing = settings.FindSignature(signatureId);
        if (existing is null)
        {
            return Decision.Accept(new SignatureCreated(userId, signatureId, cleanName, text, by, at));
        }

        return existing.Name == cleanName && existing.Html == text
            ? Decision.Accept()
            : Decision.Accept(new SignatureEdited(userId, signatureId, cleanName, text, by, at));
    }

    public static Decision DeleteSignature(Guid userId, MailSettings? current, Guid signatureId, Guid by, DateTimeOffset at) =>
        current?.FindSignature(signatureId) is null
            ? Decision.Reject([new Violation("", SettingsViolations.SignatureUnknown)])
            : Decision.Accept(new SignatureDeleted(userId, signatureId, by, at));

    /// <param name="serverFolders">The account's folders on the server: only those can be shown.</param>
    public static Decision ChooseVisibleFolders(
        Guid userId, MailSettings? current, Guid accountId, IReadOnlyCollection<string> chosen, IReadOnlyCollection<string> serverFolders, Guid by, DateTimeOffset at)
    {
        var settings = current ?? MailSettings.Defaults(userId);
        var folders = chosen.Distinct(StringComparer.Ordinal).ToArray();
        if (folders.Any(f => !serverFolders.Contains(f)))
        {
            return Decision.Reject([new Violation("Folders", SettingsViolations.FolderUnknown)]);
        }

        return settings.VisibleFoldersOf(accountId).SequenceEqual(folders, StringComparer.Ordinal)
            ? Decision.Accept()
            : Decision.Accept(new VisibleFoldersChosen(userId, accountId, folders, by, at));
    }

    /// <summary>
    /// The zone times are shown in; empty or null follows the browser. Only IANA ids this machine knows are kept, so a
    /// page can always convert with it.
    /// </summary>
    /// <param name="known">Whether the machine knows the zone: the time-zone database lives outside the domain.</param>
    public static Decision ChooseTimeZone(Guid userId, MailSettings? current, string? zone, Func<string, bool> known, Guid by, DateTimeOffset at)
    {
        var settings = current ?? MailSettings.Defaults(userId);
        var chosen = string.IsNullOrWhiteSpace(zone) ? null : zone.Trim();
        if (chosen is not null && !known(chosen))
        {
            return Decision.Reject([new Violation("TimeZone", SettingsViolations.TimeZoneUnknown)]);
        }

        return chosen == settings.TimeZone ? Decision.Accept() : Decision.Accept(new TimeZoneChosen(userId, chosen, by, at));
    }
}

public static class SettingsViolations
{
    public const string IntervalInvalid = "Settings.IntervalInvalid";
    public const string PageSizeInvalid = "Settings.PageSizeInvalid";
    public const string CharsetUnknown = "Settings.CharsetUnknown";
    public const string SignatureUnknown = "Settings.SignatureUnknown";
    public const string SignatureNameRequired = "Settings.SignatureNameRequired";
    public const string SignatureNameTooLong = "Settings.SignatureNameTooLong";
    public const string SignatureNameTaken = "Settings.SignatureNameTaken";
    public const string SignatureTooLong = "Settings.SignatureTooLong";
    public const string SignatureTemplateInvalid = "Settings.SignatureTemplateInvalid";
    public const string FolderUnknown = "Settings.FolderUnknown";
    public const string TimeZoneUnknown = "Settings.TimeZoneUnknown";
}
