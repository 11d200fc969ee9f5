using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Mail.Mailboxes;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Rendering;

/// <summary>
/// How a folder is named to the person: the special ones (the inbox, and those the server marks with SPECIAL-USE or the
/// account chose as its Sent and Trash) by what they are for, in the page's language; the others by the server's name.
/// The folder pane, the Move selects and the account form's folder choice all name folders through here, and list
/// the special ones first, in <see cref="Roles"/> order.
/// </summary>
public static class FolderNames
{
    /// <summary>The special folders in the usual order; each is also the suffix of its resource key ("Folder.Sent") and its icon's name.</summary>
    public static readonly IReadOnlyList<string> Roles = ["Inbox", "Drafts", "Sent", "Archive", "Junk", "Trash"];

    /// <summary>What the folder is for, one of <see cref="Roles"/>; null for an ordinary folder.</summary>
    public static string? Role(string fullName, string? specialUse, Account? account = null)
    {
        if (fullName.Equals("INBOX", StringComparison.OrdinalIgnoreCase))
        {
            return "Inbox";
        }

        if (account?.SentFolder == fullName)
        {
            return "Sent";
        }

        if (account?.TrashFolder == fullName)
        {
            return "Trash";
        }

        return specialUse is not null && Roles.Contains(specialUse) ? specialUse : null;
    }

    public static string? Role(FolderView folder, Account? account = null) => Role(folder.FullName, folder.SpecialUse, account);

    /// <summary>The folder's name as shown: the special use in the page's language, or the server's name.</summary>
    public static string Display(string? role, string name, IStringLocalizer text) => role is null ? name : text["Folder." + role].Value;

    public static string Display(FolderView folder, IStringLocalizer text, Account? account = null) =>
        Display(Role(folder, account), folder.Name, text);

    /// <summary>
    /// A folder named by its full name alone, as a notice names where mail went: the inbox and the account's Sent and
    /// Trash by their use in the page's language, any other folder by the server's name.
    /// </summary>
    public static string Display(string fullName, Account? account, IStringLocalizer text) => Display(Role(fullName, null, account), fullName, text);

    /// <summary>
    /// The special folders first, in <see cref="Roles"/> order, each with the ordinary folders under it (shallower by its
    /// depth); then the others in the server's tree order. A role claimed twice (a SPECIAL-USE Sent besides the account's
    /// chosen one) is special only where it comes first.
    /// </summary>
    public static IReadOnlyList<(T Folder, string? Role, int Depth)> InUsualOrder<T>(
        IReadOnlyList<T> folders, Func<T, string?> role, Func<T, int> depth)
    {
        var roles = folders.Select(role).ToArray();
        var claimed = new HashSet<string>();
        for (var i = 0; i < roles.Length; i++)
        {
            if (roles[i] is { } r && !claimed.Add(r))
            {
                roles[i] = null;
            }
        }

        var taken = new bool[folders.Count];
        var ordered = new List<(T, string?, int)>();
        foreach (var wanted in Roles)
        {
            var at = Array.IndexOf(roles, wanted);
            if (at < 0)
            {
                continue;
            }

            var top = depth(folders[at]);
            taken[at] = true;
            ordered.Add((folders[at], wanted, 0));
            for (var child = at + 1; child < folders.Count && depth(folders[child]) > top && roles[child] is null && !taken[child]; child++)
            {
                taken[child] = true;
                ordered.Add((folders[child], null, depth(folders[child]) - top));
            }
        }

        ordered.AddRange(folders.Select((f, i) => (f, i)).Where(p => !taken[p.i]).Select(p => (p.f, (string?)null, depth(p.f))));
        return ordered;
    }

    public static IReadOnlyList<(FolderView Folder, string? Role, int Depth)> InUsualOrder(IReadOnlyList<FolderView> folders, Account? account = null) =>
        InUsualOrder(folders, f => Role(f, account), f => f.Depth);

    public static IReadOnlyList<(ServerFolder Folder, string? Role, int Depth)> InUsualOrder(IReadOnlyList<ServerFolder> folders) =>
        InUsualOrder(folders, f => Role(f.FullName, f.SpecialUse), f => f.Depth);
}
