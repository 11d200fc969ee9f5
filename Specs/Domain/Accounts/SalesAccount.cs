using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;

namespace MailAccounts.Specs.Domain.Accounts;

/// <summary>
/// The account the SaveAccount specs start from: Anna's Sales mailbox on IMAP, the form that creates it and the events
/// that form records (saving_an_account proves the one gives the other).
/// </summary>
internal static class SalesAccount
{
    public static readonly Guid Id = Guid.NewGuid();
    public static readonly Guid Owner = Guid.NewGuid();
    public static readonly Guid Secret = Guid.NewGuid();
    public static readonly Guid OwnServer = Guid.NewGuid();
    public static readonly Guid OwnSignature = Guid.NewGuid();
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    public static readonly AccountForm Form = new(
        " Sales ", "Anna Smirnova", "anna@example.com", IncomingProtocol.Imap, "IMAP.example.com", null, TransportSecurity.SslOnConnect,
        "anna@example.com", Secret, ["INBOX", "Projects"], "Trash", "Sent", "", "", "boss@example.com", null);

    /// <summary>The saved form as the edit page sends it back: the password field empty.</summary>
    public static readonly AccountForm Unchanged = Form with { NewPasswordSecretId = null };

    public static object[] Created =>
    [
        new AccountCreated(Id, Owner, AccountKind.Individual, "Sales", "Anna Smirnova", "anna@example.com", Owner, Now),
        new IncomingServerConfigured(Id, IncomingProtocol.Imap, "imap.example.com", 993, TransportSecurity.SslOnConnect, Owner, Now),
        new CredentialsChanged(Id, "anna@example.com", Secret, Owner, Now),
        new FoldersSelected(Id, ["INBOX", "Projects"], Owner, Now),
        new TrashFolderSelected(Id, "Trash", Owner, Now),
        new SentFolderSelected(Id, "Sent", Owner, Now),
        new OutgoingConfigured(Id, "Anna Smirnova", "anna@example.com", "boss@example.com", null, Owner, Now),
    ];

    public static AccountContext Context(params string[] otherTitles) =>
        new(otherTitles, new HashSet<Guid> { OwnServer }, new HashSet<Guid> { OwnSignature });

    public static Func<Account?, Decision> Save(AccountForm form, AccountContext? context = null) =>
        current => AccountDecisions.SaveAccount(Id, Owner, current, form, context ?? Context(), Owner, Now);
}
