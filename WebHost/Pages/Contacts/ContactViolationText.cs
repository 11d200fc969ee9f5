using System.Globalization;
using MailAccounts.Domain.Common;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Contacts;

/// <summary>
/// A contact refusal in the reader's language. A refusal whose words have a place for its detail (the contact that
/// holds an address, the line that has it too) gets the detail in that place, not after the sentence.
/// </summary>
internal static class ContactViolationText
{
    public static string Of(Violation violation, IStringLocalizer text)
    {
        var words = text[violation.Code].Value;
        return violation.Detail is null ? words
            : words.Contains("{0}", StringComparison.Ordinal) ? string.Format(CultureInfo.CurrentCulture, words, violation.Detail)
            : $"{words} {violation.Detail}";
    }

    public static void AddContactViolations(this ModelStateDictionary modelState, IEnumerable<Violation> violations, IStringLocalizer text, string prefix)
    {
        foreach (var violation in violations)
        {
            var key = violation.Field.Length == 0 ? "" : $"{prefix}.{violation.Field}";
            modelState.AddModelError(key, Of(violation, text));
        }
    }
}
