using System.Net.Mail;

namespace MailAccounts.Domain.Common;

/// <summary>A bare mailbox address (local@domain), the form the settings store and the servers expect.</summary>
public static class EmailAddress
{
    private const int MaxLength = 254;

    public static bool IsValid(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxLength || value != value.Trim())
        {
            return false;
        }

        // MailAddress also accepts display names and comments ("Ann <a@b.c>"); the settings want the address alone.
        if (!MailAddress.TryCreate(value, out var parsed) || parsed.Address != value || parsed.DisplayName.Length > 0)
        {
            return false;
        }

        var at = value.LastIndexOf('@');
        var local = value[..at];
        var domain = value[(at + 1)..];
        return local.Length is > 0 and <= 64
            && domain.Length > 0
            && !domain.StartsWith('.') && !domain.EndsWith('.') && !domain.Contains("..", StringComparison.Ordinal)
            && domain.All(c => char.IsLetterOrDigit(c) || c is '-' or '.');
    }
}
