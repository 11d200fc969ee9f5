namespace MailAccounts.Domain.Search;

/// <summary>
/// Where a search looks: the folder shown, it and its subfolders, every folder of its account, every account the user
/// may use (their own and the group accounts the one access rule lets them use), or the mail imported into the CRM.
/// </summary>
public enum SearchScope
{
    Folder,
    Subfolders,
    Account,
    AllAccounts,
    Imported,
}
