using MailAccounts.Infrastructure.Mail;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Rendering;

/// <summary>The advice for a mail failure in the reader's language (<c>Advice.*</c> in the shared resources).</summary>
public static class AdviceWords
{
    /// <summary>The advice's key and sentence; null when the failure has no facts or no advice.</summary>
    public static (string Key, string Text)? Advice(this IStringLocalizer text, MailFailure? failure) =>
        failure is not null && MailAdvice.For(failure) is { } advice
            ? (advice.Key, text[advice.Key, [.. advice.Values]].Value)
            : null;
}
