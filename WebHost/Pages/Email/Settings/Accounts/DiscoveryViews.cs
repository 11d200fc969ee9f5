using System.Globalization;
using MailAccounts.Domain.Discovery;
using MailAccounts.Infrastructure.Discovery;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.WebHost.Rendering;
using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Email.Settings.Accounts;

/// <summary>How the account form shows what Find settings found: where from, what to mind, and a line per step.</summary>
public static class DiscoveryViews
{
    public static IHtmlContent Report(TemplateRenderer templates, IStringLocalizer text, DiscoveryResult found, string address, TimeSpan limit)
    {
        var domain = MailAddressParts.Of(address)?.Domain ?? address;
        var culture = CultureInfo.CurrentUICulture;
        var headline = found.Source switch
        {
            SettingsSource.Preset => string.Format(culture, text["Discovery.From.Preset"].Value, found.ProviderName),
            SettingsSource.Autoconfig => found.ProviderName is { } name
                ? string.Format(culture, text["Discovery.From.AutoconfigNamed"].Value, name, domain)
                : string.Format(culture, text["Discovery.From.Autoconfig"].Value, domain),
            SettingsSource.Srv => string.Format(culture, text["Discovery.From.Srv"].Value, domain),
            SettingsSource.MxPreset => string.Format(culture, text["Discovery.From.MxPreset"].Value, found.ProviderName, domain),
            SettingsSource.Guess => string.Format(culture, text["Discovery.From.Guess"].Value, domain),
            _ when found.TimedOut => string.Format(culture, text["Discovery.TimedOut"].Value, (int)limit.TotalSeconds, domain),
            _ => string.Format(culture, text["Discovery.NothingFound"].Value, domain),
        };
        var notes = new List<(string Key, string Text)>();
        if (found.Found)
        {
            if (found.Incoming is null)
            {
                notes.Add(("no-incoming", text[found.OnlyPlainIncoming ? "Discovery.PlainIncoming" : "Discovery.NoIncoming"].Value));
            }

            if (found.Outgoing is null)
            {
                notes.Add(("no-outgoing", text[found.OnlyPlainOutgoing ? "Discovery.PlainOutgoing" : "Discovery.NoOutgoing"].Value));
            }

            if (found.NeedsOAuth2)
            {
                notes.Add(("oauth2", text["Discovery.OAuth2"].Value));
            }

            if (found.Preset?.Note(culture.TwoLetterISOLanguageName) is { } note)
            {
                notes.Add(("provider", note));
            }

            notes.Add(("check", text["Discovery.Check"].Value));
        }

        return templates.View("DiscoveryReport", text, new
        {
            found.Found,
            Source = found.Source?.ToString() ?? (found.TimedOut ? "TimedOut" : "None"),
            Headline = headline,
            Notes = notes.Select(n => new { n.Key, n.Text }).ToArray(),
            Steps = found.Steps.Select(s => new
            {
                Kind = s.Kind.ToString(),
                Outcome = s.Outcome.ToString(),
                Step = text["Discovery.Step." + s.Kind].Value,
                s.Subject,
                Said = text["Discovery.Outcome." + s.Outcome].Value,
                Detail = s.Detail?.In(culture) ?? "",
            }).ToArray(),
        }, "Discovery.Steps");
    }

    /// <summary>One step as a line of text, as the script shows it while the search runs.</summary>
    public static string StepLine(IStringLocalizer text, DiscoveryStep step)
    {
        var line = text["Discovery.Step." + step.Kind].Value + (step.Subject.Length > 0 ? " " + step.Subject : "") + ": " + text["Discovery.Outcome." + step.Outcome].Value;
        return step.Detail is { } detail ? $"{line} ({detail.In(CultureInfo.CurrentUICulture)})" : line;
    }

    /// <summary>A problem before any lookup (no address typed), in the place of the report.</summary>
    public static IHtmlContent Problem(IStringLocalizer text, string key, string code) => new HtmlString(
        $"<p class=\"notice error\" role=\"alert\" data-discovery=\"{code}\">{System.Net.WebUtility.HtmlEncode(text[key].Value)}</p>");

    /// <summary>The form's fields as Find settings filled them in, for the script to put in place without reloading the page.</summary>
    public static Dictionary<string, string> Fields(DiscoveryResult found, AccountInput input)
    {
        var fields = new Dictionary<string, string>();
        if (found.Incoming is not null)
        {
            fields["Input_Protocol"] = input.Protocol.ToString();
            fields["Input_Host"] = input.Host ?? "";
            fields["Input_Port"] = input.Port?.ToString(CultureInfo.InvariantCulture) ?? "";
            fields["Input_UseSsl"] = input.UseSsl ? "true" : "false";
            fields["Input_Login"] = input.Login ?? "";
        }

        if (found.Outgoing is not null)
        {
            fields["Input_OutgoingServer"] = input.OutgoingServer ?? "";
            fields["Input_NewServerKind"] = input.NewServerKind.ToString();
            fields["Input_NewServerHost"] = input.NewServerHost ?? "";
            fields["Input_NewServerPort"] = input.NewServerPort?.ToString(CultureInfo.InvariantCulture) ?? "";
            fields["Input_NewServerSecurity"] = input.NewServerSecurity.ToString();
            fields["Input_NewServerUseAuthentication"] = input.NewServerUseAuthentication ? "true" : "false";
            fields["Input_NewServerLogin"] = input.NewServerLogin ?? "";
        }

        return fields;
    }
}
