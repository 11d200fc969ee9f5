using System.Runtime.CompilerServices;

namespace MailAccounts.Specs.Support;

/// <summary>Specs build and read MIME with MimeKit before any product code runs: the code pages come first here too.</summary>
internal static class Charsets
{
    [ModuleInitializer]
    internal static void Register() => Infrastructure.Mail.Charsets.Register();
}
