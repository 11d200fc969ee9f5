namespace MailAccounts.WebHost.Hosting;

internal static class Policies
{
    public const string Administrator = "Administrator";
    public const string SignIn = "SignIn";
}
