using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;

namespace MailAccounts.Specs.Domain.Accounts;

/// <summary>
/// An administrator's deactivation of an individual account holds until an administrator lifts it: its owner can
/// neither delete the account nor add the same mailbox again as a fresh, active account.
/// </summary>
public sealed class keeping_a_deactivated_mailbox_deactivated
{
    private static readonly Guid Owner = Guid.NewGuid();
    private static readonly Guid Administrator = Guid.NewGuid();
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static AccountForm Form(string title = "Work", string address = "anna@corp.example", string host = "imap.corp.example", string login = "anna") =>
        new(title, "Anna", address, IncomingProtocol.Imap, host, null, TransportSecurity.SslOnConnect, login, Guid.NewGuid());

    private static Account Saved(Guid id, AccountForm form) =>
        Given.Account().When(a => AccountDecisions.SaveAccount(id, Owner, a, form, new AccountContext([], new HashSet<Guid>()), Owner, Now)).After!;

    private static Account Deactivated() =>
        Account.Evolve(Saved(Guid.NewGuid(), Form()), new AccountDeactivated(Guid.Empty, "Left the company", Administrator, Now))!;

    private static Decision SaveBeside(Account deactivated, Guid accountId, Account? current, AccountForm form) =>
        AccountDecisions.SaveAccount(accountId, Owner, current, form, new AccountContext([], new HashSet<Guid>(), null, [deactivated]), Owner, Now);

    [Fact]
    public void its_owner_cannot_delete_it() =>
        AccountDecisions.DeleteAccount(Deactivated(), Owner, Now).ShouldBeRefusedWith("", AccountViolations.DeactivatedNotDeletable);

    [Fact]
    public void once_reactivated_it_can_be_deleted() =>
        AccountDecisions.DeleteAccount(Account.Evolve(Deactivated(), new AccountReactivated(Guid.Empty, Administrator, Now)), Owner, Now)
            .Events.ShouldHaveSingleItem().ShouldBeOfType<AccountDeleted>();

    [Theory]
    [InlineData("IMAP.corp.example", "Anna", "other@corp.example")]
    [InlineData("pop.elsewhere.example", "someone", "ANNA@corp.example")]
    public void the_same_mailbox_cannot_be_added_again_as_another_account(string host, string login, string address) =>
        SaveBeside(Deactivated(), Guid.NewGuid(), null, Form("Work again", address, host, login))
            .ShouldBeRefusedWith("", AccountViolations.MailboxDeactivated);

    [Fact]
    public void another_account_cannot_be_pointed_at_it()
    {
        var other = Saved(Guid.NewGuid(), Form("Other", "other@corp.example", "imap.corp.example", "other"));

        SaveBeside(Deactivated(), other.Id, other, Form("Other", "other@corp.example", "imap.corp.example", "anna") with { NewPasswordSecretId = null })
            .ShouldBeRefusedWith("", AccountViolations.MailboxDeactivated);
    }

    [Fact]
    public void another_mailbox_and_the_deactivated_account_itself_are_saved_as_before()
    {
        var deactivated = Deactivated();

        SaveBeside(deactivated, Guid.NewGuid(), null, Form("Home", "anna@home.example", "imap.home.example", "anna")).IsAccepted.ShouldBeTrue();
        SaveBeside(deactivated, deactivated.Id, deactivated, Form("Work, renamed") with { NewPasswordSecretId = null })
            .Events.ShouldHaveSingleItem().ShouldBeOfType<AccountDetailsChanged>();
    }
}
