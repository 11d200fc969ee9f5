using System.Net;

namespace MailAccounts.Domain.Common;

/// <summary>A server name as a person types it: a DNS name or an IP address, nothing else (no scheme, port or path).</summary>
public static class HostName
{
    public static bool IsValid(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 253)
        {
            return false;
        }

        if (IPAddress.TryParse(value, out _))
        {
            return true;
        }

        var labels = value.TrimEnd('.').Split('.');
        return labels.All(l => l.Length is > 0 and <= 63
            && l.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            && !l.StartsWith('-') && !l.EndsWith('-'));
    }
}
