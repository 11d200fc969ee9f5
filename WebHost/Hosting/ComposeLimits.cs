using MailAccounts.Infrastructure.Mail;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MailAccounts.WebHost.Hosting;

/// <summary>
/// The compose form may post no more than a message may weigh (<c>Mail:MaxAttachmentBytes</c> and room for the text):
/// Kestrel's default of about 28.6 MB would otherwise be read into memory on every Save, whatever the limit says.
/// </summary>
internal static class ComposeLimits
{
    public static void Apply(RazorPagesOptions options, IConfiguration configuration)
    {
        var mail = configuration.GetSection(MailOptions.Section).Get<MailOptions>() ?? new MailOptions();
        var max = mail.MaxComposeRequestBytes;
        options.Conventions.AddPageApplicationModelConvention("/Email/Compose", page =>
        {
            page.Filters.Add(new RequestSizeLimitAttribute(max));
            page.Filters.Add(new RequestFormLimitsAttribute { MultipartBodyLengthLimit = max });
        });
    }
}
