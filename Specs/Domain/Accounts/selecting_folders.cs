using MailAccounts.Domain.Accounts;
using static MailAccounts.Specs.Domain.Accounts.SalesAccount;

namespace MailAccounts.Specs.Domain.Accounts;

/// <summary>
/// SaveAccount's folders part (Domain/Accounts/SelectingFolders.cs): FoldersSelected, TrashFolderSelected, SentFolderSelected.
/// </summary>
public sealed class selecting_folders
{
    [Fact]
    public void a_new_imap_account_records_the_folders_it_checks() =>
        Given.Account().When(Save(Form)).Events.OfType<FoldersSelected>().Single().Folders.ShouldBe(["INBOX", "Projects"]);

    [Fact]
    public void blank_and_repeated_folders_are_dropped_and_none_left_means_the_inbox()
    {
        Given.Account(Created).When(Save(Unchanged with { MonitoredFolders = [" INBOX ", "", "Projects", "Projects", "Archive"] }))
            .Then(new FoldersSelected(Id, ["INBOX", "Projects", "Archive"], Owner, Now));
        Given.Account(Created).When(Save(Unchanged with { MonitoredFolders = [" "] }))
            .Then(new FoldersSelected(Id, ["INBOX"], Owner, Now));
    }

    [Fact]
    public void a_cleared_trash_folder_is_none() =>
        Given.Account(Created).When(Save(Unchanged with { TrashFolder = " " })).Then(new TrashFolderSelected(Id, null, Owner, Now));

    [Fact]
    public void a_pop3_account_checks_its_inbox_only_and_has_no_trash_or_sent()
    {
        var account = Given.Account().When(Save(Form with { Protocol = IncomingProtocol.Pop3 })).After!;

        account.MonitoredFolders.ShouldBe(["INBOX"]);
        account.TrashFolder.ShouldBeNull();
        account.SentFolder.ShouldBeNull();
    }

    [Fact]
    public void more_than_200_folders_are_refused_and_200_are_accepted()
    {
        string[] Folders(int count) => [.. Enumerable.Range(1, count).Select(i => $"Folder {i}")];

        Given.Account().When(Save(Form with { MonitoredFolders = Folders(201) })).ThenRefused("MonitoredFolders", AccountViolations.TooManyFolders);
        Given.Account().When(Save(Form with { MonitoredFolders = Folders(200) })).Decision.IsAccepted.ShouldBeTrue();
    }
}
