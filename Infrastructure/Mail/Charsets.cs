using System.Runtime.CompilerServices;
using System.Text;

namespace MailAccounts.Infrastructure.Mail;

/// <summary>
/// The legacy code pages (KOI8-R, windows-1251, ISO-2022-JP, …) for every process that loads this assembly.
/// MimeKit looks a charset up once and remembers the answer, a missing one too: a message read before the code pages
/// were registered left ISO-2022-JP as escape codes for the life of the process. Which code ran first then decided it
/// (a Japanese bounce in the corpus specs, before any host started), so the registration runs before anything else here.
/// </summary>
public static class Charsets
{
#pragma warning disable CA2255 // Deliberate: the registration must precede every MimeKit call this assembly makes.
    [ModuleInitializer]
#pragma warning restore CA2255
    public static void Register() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
}
