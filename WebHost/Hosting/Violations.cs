using MailAccounts.Domain.Common;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Hosting;

internal static class Violations
{
    /// <summary>Shows each refusal next to the field it is about, in the reader's language.</summary>
    public static void AddViolations(this ModelStateDictionary modelState, IEnumerable<Violation> violations, IStringLocalizer text, string prefix)
    {
        foreach (var violation in violations)
        {
            var key = prefix.Length == 0 || violation.Field.Length == 0 ? violation.Field : $"{prefix}.{violation.Field}";
            modelState.AddModelError(key, violation.Detail is null ? text[violation.Code] : $"{text[violation.Code]} {violation.Detail}");
        }
    }
}
