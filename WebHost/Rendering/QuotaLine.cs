using System.Globalization;
using MailAccounts.Infrastructure.Mail.Mailboxes;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Rendering;

/// <summary>
/// The line under the client's folder list: "12.3 MB of 1 GB used" and a meter, in the page's language. By storage
/// where the server limits storage, else by the message count; <see cref="Warning"/> above 90 % of either limit.
/// </summary>
public sealed record QuotaLine(string Kind, string Text, long Value, long Max, bool Warning)
{
    /// <summary>Where the meter turns to a warning, as Roundcube's quota bar does.</summary>
    public const double WarningAbove = 0.9;

    public static QuotaLine? Of(MailboxQuota? quota, IStringLocalizer text)
    {
        if (quota is null)
        {
            return null;
        }

        var culture = CultureInfo.CurrentCulture;
        var warning = quota.Fullness > WarningAbove;
        if (quota is { LimitBytes: long limit, UsedBytes: long used } && limit > 0)
        {
            return new QuotaLine("storage", string.Format(culture, text["Quota.Storage"].Value, text.Size(used), text.Size(limit)), used, limit, warning);
        }

        if (quota is { MessageLimit: long most, Messages: long count } && most > 0)
        {
            return new QuotaLine(
                "messages", string.Format(culture, text["Quota.Messages"].Value, count.ToString("N0", culture), most.ToString("N0", culture)), count, most, warning);
        }

        return null;
    }
}
