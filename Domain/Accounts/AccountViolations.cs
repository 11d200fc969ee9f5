namespace MailAccounts.Domain.Accounts;

/// <summary>Stable codes for refused account input; the web host translates them.</summary>
public static class AccountViolations
{
    public const string TitleRequired = "Account.TitleRequired";
    public const string TitleTooLong = "Account.TitleTooLong";
    public const string TitleTaken = "Account.TitleTaken";
    public const string NameTooLong = "Account.NameTooLong";
    public const string AddressRequired = "Account.AddressRequired";
    public const string AddressInvalid = "Account.AddressInvalid";
    public const string HostRequired = "Account.HostRequired";
    public const string HostInvalid = "Account.HostInvalid";
    public const string PortInvalid = "Account.PortInvalid";
    public const string LoginRequired = "Account.LoginRequired";
    public const string LoginTooLong = "Account.LoginTooLong";
    public const string PasswordRequired = "Account.PasswordRequired";
    public const string PasswordRequiredForServer = "Account.PasswordRequiredForServer";
    public const string TooManyFolders = "Account.TooManyFolders";
    public const string ImportSinceInFuture = "Account.ImportSinceInFuture";
    public const string UnknownOutgoingServer = "Account.UnknownOutgoingServer";
    public const string FingerprintInvalid = "Account.FingerprintInvalid";
    public const string UnknownSignature = "Account.UnknownSignature";
    public const string ChoiceInvalid = "Account.ChoiceInvalid";
    public const string Unknown = "Account.Unknown";
    public const string Deleted = "Account.AlreadyDeleted";
    public const string NotGroup = "Account.NotGroup";
    public const string ReasonRequired = "Account.ReasonRequired";
    public const string ReasonTooLong = "Account.ReasonTooLong";
    public const string UserUnknown = "Account.UserUnknown";
    public const string MailboxDeactivated = "Account.MailboxDeactivated";
    public const string DeactivatedNotDeletable = "Account.DeactivatedNotDeletable";
    public const string NotAuthorised = "Account.NotAuthorised";
    public const string ReconnectedAsAnother = "Account.ReconnectedAsAnother";
}
