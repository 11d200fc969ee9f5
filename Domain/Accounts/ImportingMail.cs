using MailAccounts.Domain.Common;
using MailAccounts.Domain.Import;

namespace MailAccounts.Domain.Accounts;

/// <summary>
/// How an account's mail is imported into the system. <paramref name="Folders"/> null or empty: the monitored folders.
/// <paramref name="Since"/> null: all mail, whatever its date; otherwise mail that arrived on that day or later.
/// </summary>
public sealed record ImportSettings(bool On, IReadOnlyList<string>? Folders, DateOnly? Since);

/// <summary>Import was turned on or off, or its folders or its first day changed. Moving the first day back fills in the older mail.</summary>
public sealed record ImportChosen(Guid AccountId, bool On, IReadOnlyList<string>? Folders, DateOnly? Since, Guid By, DateTimeOffset At) : IAuditedEvent;

// SaveAccount's import part: whether the account's mail is imported into the system, from which folders, and from
// which day on. The three travel together in one ImportChosen, so that History shows one line for one choice.
public static partial class AccountDecisions
{
    private static IEnumerable<Violation> ValidateImport(NormalisedForm form, DateTimeOffset at)
    {
        if (form.Import.Folders?.Count > MaxFolders)
        {
            yield return new Violation(nameof(AccountForm.ImportFolders), AccountViolations.TooManyFolders);
        }

        // The day is the user's, and the user may be ahead of UTC: a day is in the future only once it has begun
        // nowhere on Earth yet (UTC+14 is the earliest time zone).
        if (form.Import.Since is { } since && since > DateOnly.FromDateTime(at.UtcDateTime.AddHours(14)))
        {
            yield return new Violation(nameof(AccountForm.ImportSince), AccountViolations.ImportSinceInFuture);
        }
    }

    /// <summary>
    /// One <see cref="ImportChosen"/> when import was turned on or off, or its folders or its first day changed; none
    /// otherwise. An account that never imported and stays off records nothing: its form's day moves with the calendar
    /// and would otherwise be a new choice every day.
    /// </summary>
    private static IEnumerable<object> DecideImport(Guid accountId, Account? current, NormalisedForm form, Guid by, DateTimeOffset at)
    {
        var chosen = form.Import;
        if (current?.Import is not { } was)
        {
            if (chosen.On)
            {
                yield return new ImportChosen(accountId, true, chosen.Folders, chosen.Since, by, at);
            }

            yield break;
        }

        if (was.On != chosen.On || was.Since != chosen.Since
            || !(was.Folders ?? []).SequenceEqual(chosen.Folders ?? [], StringComparer.Ordinal))
        {
            yield return new ImportChosen(accountId, chosen.On, chosen.Folders, chosen.Since, by, at);
        }
    }

    /// <summary>
    /// The import choice as it is recorded: folders trimmed and once each, none for POP3 (it imports its inbox, the only
    /// folder it has); all mail has no first day, and "mail from" without a day starts <see cref="ImportRules.DefaultSince"/>.
    /// </summary>
    private static ImportSettings NormaliseImport(AccountForm form, DateTimeOffset at)
    {
        var folders = form.Protocol == IncomingProtocol.Pop3
            ? []
            : (form.ImportFolders ?? []).Select(Clean).Where(f => f.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        return new ImportSettings(form.ImportOn, folders, form.ImportAll ? null : form.ImportSince ?? ImportRules.DefaultSince(at));
    }
}
